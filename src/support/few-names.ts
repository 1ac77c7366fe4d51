/** How many names a message lists before "and N more". */
export const NAMES_SHOWN = 5;

/**
 * Names in a message: the first few, then how many more, so a line stays one line whatever the input
 * (a JSON value of 7,800 fields once made a 78 KB warning).
 */
export function fewNames(names: readonly string[], shown = NAMES_SHOWN): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}
