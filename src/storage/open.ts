// The one way to get a store: open the database, apply pending migrations, and close again
// when they fail, so no caller is left holding a half-migrated database or a leaked pool.
import { migrate, openDatabase, type OpenOptions } from './database.js';
import { createStore, type SqlStore } from './store.js';

export async function openStore(options: OpenOptions): Promise<SqlStore> {
  const store = createStore(await openDatabase(options));
  try {
    await migrate(store.db, store.schema);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
