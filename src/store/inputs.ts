/**
 * Inputs a command checks before it prompts or sends anything (exit 2, naming the flag), whichever store
 * then takes them: the AWS store's own checks (pure, no SDK), so a command and the store refuse alike.
 */
export { checkKmsKeyId, checkReplicaRegions } from './aws/inputs.js';
