import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SettingsPort } from '../tokens/ports.js';

type Db = Kysely<Database>;

export class SqlSettings implements SettingsPort {
  constructor(private readonly db: Db) {}

  async getSetting(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  async putSettingIfAbsent(name: string, value: string): Promise<string> {
    await this.db.insertInto('settings').values({ name, value }).onConflict((oc) => oc.column('name').doNothing()).execute();
    return (await this.getSetting(name)) ?? value;
  }
}
