/** What every bundle in dist/lib/ exports: its role's main, given argv after the command name's position. */
export type BundleMain = (argv: string[], selfCommand: readonly string[]) => Promise<number>;
