import { hostname, userInfo } from 'node:os';

/**
 * Who writes a version, recorded beside it as `user@host` (never a value): the user from the OS, or from
 * USER / LOGNAME where the OS cannot say (os.userInfo throws for a uid without a passwd entry, as in some
 * containers); undefined when neither is known. Text that is not a plain name is dropped.
 */
export function localWriter(
  env: Record<string, string | undefined> = process.env,
  os: { userInfo: () => { username: string }; hostname: () => string } = { userInfo, hostname },
): string | undefined {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = undefined;
  }
  user = plain(user) ?? plain(env.USER) ?? plain(env.LOGNAME);
  if (user === undefined) return undefined;
  let host: string | undefined;
  try {
    host = plain(os.hostname());
  } catch {
    host = undefined;
  }
  return host === undefined ? user : `${user}@${host}`;
}

/** A name as shown in a table: printable, no spaces, bounded; anything else is not recorded. */
function plain(text: string | undefined): string | undefined {
  return text !== undefined && /^[\w.@+-]{1,128}$/.test(text) ? text : undefined;
}
