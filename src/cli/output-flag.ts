import { UsageError } from '../errors.js';

/**
 * `run` and `render` have no table or data shape for `-o` to choose: the output is the child's own or the
 * filled template. Giving `-o` anyway is refused rather than ignored, so `render t -o yaml` (meant as
 * `--out`) cannot silently print to stdout.
 */
export function refuseOutputFormat(output: string | undefined, command: string, hint: string): void {
  if (output !== undefined) throw new UsageError(`-o ${output} does not apply to ${command}`, hint);
}
