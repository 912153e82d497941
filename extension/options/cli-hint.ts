/**
 * The terminal command the settings page names when a change cannot be approved from the
 * browser (a keychain vault with no desktop to ask on). It must be a command that exists
 * (cli-hint.test.ts checks it against the CLI's help).
 */
export function keychainCommand(label: string): string {
  return `blindfill edit ${label} --json-stdin`;
}
