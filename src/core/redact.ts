// Text safe to print: a URL with its password replaced (relay and database URLs carry one).

/** `smtp://user:secret@host` → `smtp://user:****@host`. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@\s]+):(\S*)@/, '//$1:****@');
}
