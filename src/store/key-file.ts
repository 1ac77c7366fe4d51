/**
 * The local store's key file under its home (`local.key`), named here for what outside the store needs
 * it: `run` masks the key's text. Importing this loads no store, key or cipher code.
 */
export const KEY_FILE = 'local.key';
