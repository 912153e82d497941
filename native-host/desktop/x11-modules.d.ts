// The x11 package (pure-JS X11 client) ships no types; these are the few parts blindfill uses.
declare module 'x11' {
  const x11: {
    createClient(options: { display?: string; shm?: boolean | 'off'; disableBigRequests?: boolean }, cb: (err: Error | undefined, display: unknown) => void): {
      on(event: 'error', cb: (err: Error) => void): void;
    };
  };
  export default x11;
}
declare module 'x11/lib/keysyms.js' {
  const table: Record<string, { code: number; description: string | null }>;
  export default table;
}
