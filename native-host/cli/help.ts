/** `--help` text for every command. */
export const HELP: Record<string, string> = {
  '': `blindfill — let AI agents log in without ever seeing a secret

usage: blindfill <command> [options]     (blindfill <command> --help for more)

  init --passphrase-stdin | --keychain   create an empty vault and unlock it
  unlock [--passphrase-stdin] [--idle-timeout 30m]
  lock                                   lock now; the key leaves memory
  status [--json]                        vault state, credential count, connected browsers
  add [--json-stdin]                     add a credential (or an array); prompts on a terminal
  list [--json] [--origin URL|active_tab]
                                         credentials without secrets (only those for a page)
  remove LABEL                           remove a credential
  edit LABEL --json-stdin                change some fields of a credential (JSON on stdin)
  rename OLD NEW                         give a credential a new label
  passwd [--to-keychain | --to-passphrase]
                                         change the vault passphrase (old then new on stdin),
                                         or move the key to or from the OS keychain
  fill LABEL [--submit] [--totp]         fill the browser's active tab
  type LABEL [--field F] [--submit]      type into the focused desktop window
  host install|uninstall --browser B | --all [--user-data-dir DIR] [--flatpak]
                                         register (or remove) the native messaging host
  import --format F FILE [--dry-run]     import from Bitwarden, Chrome/Edge, Firefox, 1Password,
                                         KeePassXC or otpauth:// lines
  doctor [--json] [--fix]                check permissions, daemon, browsers, audit log, vault
  mcp                                    the MCP server on stdio (for agents)
  guard [--allow-tool NAME]... -- COMMAND [ARGS...]
                                         run another MCP server (e.g. Playwright MCP) behind
                                         blindfill: one tool list, every vault secret scrubbed
  redact [--chunk-size N]                stdin to stdout with every vault secret scrubbed
  mcp-config --client C                  the config to paste into claude-code, claude-desktop, cursor
  audit verify                           check the audit log's HMAC chain

Environment: BLINDFILL_HOME (default ~/.local/share/blindfill). Secrets are read only
from stdin or a no-echo prompt, never from arguments.`,
  init: `usage: blindfill init --passphrase-stdin [--idle-timeout 30m]
       blindfill init --keychain [--idle-timeout 30m]

Create an empty vault in BLINDFILL_HOME and leave the daemon unlocked.
  --passphrase-stdin  derive the key from the passphrase on stdin (scrypt N=2^17 r=8 p=1)
  --keychain          a random 256-bit key kept in the OS keychain (Secret Service, Keychain)
Without either, asks for a passphrase on the terminal.`,
  unlock: `usage: blindfill unlock [--passphrase-stdin] [--idle-timeout 30m]

Unlock the daemon. It locks itself after the idle timeout (default 30 minutes).
A keychain vault needs no passphrase.`,
  lock: `usage: blindfill lock

Lock now: the key and every decrypted secret leave memory.`,
  status: `usage: blindfill status [--json]

{"vault":"locked"|"unlocked"|"absent","credentials":N,"browsers":[...]}`,
  add: `usage: blindfill add --json-stdin
       blindfill add                  (prompts, secrets without echo)

stdin: one credential object or an array of them:
  {"label":"github-personal","username":"...","password":"...",
   "totp":"otpauth://totp/...","origins":["https://github.com"],
   "windows":["Acme VPN"],"sequence":"{USERNAME}{TAB}{PASSWORD}{ENTER}","policy":"auto"}
All or nothing: one invalid entry refuses the whole batch.
windows entries: "Acme VPN" (the whole title, any case), "//^Acme VPN//" (a linear-time
regex), optionally after {class=NAME,exe=NAME|PATH} naming the program; browser windows
only when the entry names the browser, e.g. "{class=chromium}Acme VPN - Chromium".`,
  list: `usage: blindfill list [--json] [--origin URL|active_tab]

Labels, origins, windows, policy and which secrets are set; never a username or secret.
--origin URL lists only the credentials a fill on that page would accept (the same origin
rules as fills; only the URL's scheme, host and port count); --origin active_tab asks the
connected browser for its active tab's origin (no page content, no path).`,
  remove: `usage: blindfill remove LABEL

Remove one credential. From a terminal no re-authentication is asked (the CLI is the
vault owner's); the same from the browser's settings page needs the vault passphrase
(or, for a keychain vault, a person's approval in a desktop dialog).`,
  edit: `usage: blindfill edit LABEL --json-stdin

Change some fields of a credential. stdin: a JSON object with any of
  "username", "password", "totp" (otpauth:// URI or base32 seed), "origins", "windows",
  "sequence", "policy" ("auto" | "confirm")
A field set to null is cleared (not origins, windows or policy); fields left out stay.
Origins, windows and sequences are checked as in add (INSECURE_ORIGIN, INVALID_REQUEST).
Secrets are read from stdin only and never printed.`,
  rename: `usage: blindfill rename OLD NEW

Give the credential OLD the label NEW (DUPLICATE_LABEL if NEW exists, UNKNOWN_LABEL if OLD does not).`,
  passwd: `usage: blindfill passwd                 (stdin: the current passphrase, then the new one, a line each)
       blindfill passwd --to-keychain   (stdin: the current passphrase; the key moves to the OS keychain)
       blindfill passwd --to-passphrase (keychain vault; stdin: the new passphrase)

Change how the vault key is protected. On a terminal, prompts without echo instead.
The vault file is replaced atomically: a crash leaves a vault the old or the new
protection opens. The vault's key itself is kept (the audit log stays verifiable), so a
copy of the old vault file and its old passphrase still open it: after a passphrase
leak, also create a new vault (init) and move the credentials. BAD_PASSPHRASE when the
current passphrase is wrong (checks are throttled: RATE_LIMITED).`,
  fill: `usage: blindfill fill LABEL [--submit] [--totp] [--json]

Fill the login form in the connected browser's active tab, if its origin matches the
credential's origins. --totp fills the one-time code instead (MCP fill_totp).`,
  type: `usage: blindfill type LABEL [--field username|password|totp|sequence] [--submit] [--json]

Type into the focused desktop window if its title (the whole title) and its program match
one of the credential's windows; a browser window only if the entry names the browser.`,
  host: `usage: blindfill host install (--browser chromium|chrome|brave|edge|vivaldi|firefox | --all) [--user-data-dir DIR] [--flatpak]
       blindfill host uninstall (--browser B | --all) [--user-data-dir DIR] [--flatpak]

install writes the native messaging host manifest (and a launcher pinning node and
BLINDFILL_HOME) and prints the manifest's path; on Windows it also sets the browser's
HKCU\\Software\\…\\NativeMessagingHosts\\com.blindfill.host registry key (reg add).
  --all            every browser found (by its config directory or program)
  --user-data-dir  the manifest goes into DIR/NativeMessagingHosts/ (Chromium family)
  --flatpak        for a Flatpak browser: the manifest and a flatpak-spawn wrapper go inside
                   ~/.var/app/<id>/; also run: flatpak override --user --talk-name=org.freedesktop.Flatpak <id>
Snap browsers reach the host through the xdg-desktop-portal WebExtensions portal: install
normally, restart the browser and approve the prompt.
uninstall removes what install wrote (registry keys only when they name our manifest).`,
  import: `usage: blindfill import --format FORMAT FILE [--dry-run] [--json]

FORMAT: bitwarden (.json, unencrypted), chrome, edge, firefox, 1password, keepassxc (CSV),
otpauth (otpauth:// URIs one a line, including Google Authenticator otpauth-migration://).
URLs become origins (scheme, host, port); http: sites other than localhost, app URIs and
entries without a URL are skipped and listed with the reason. Labels come from the entry
names, made unique (-2, -3…). All or nothing: one batch, nothing written on a failure or
with --dry-run. --json prints {"imported":[labels],"skipped":[{"name","reason"}]}.`,
  doctor: `usage: blindfill doctor [--json] [--fix]

Checks: directory and file permissions, the daemon, vault state, keychain, each browser's
host registration (manifest, launcher, node and program, refuses a foreign caller), a
connected extension, the audit chain, credentials with no origins or windows, http: origins,
reused passwords (compared inside the daemon; only labels are shown). Each: ok, warn, fail
or skip, with a one-line fix. --fix repairs only what is safe (chmod of blindfill's own
directories and files, reinstalling a broken registration) and says what it did.
Exit 1 when a check fails.`,
  agent: `usage: blindfill agent allow --user NAME   let OS user NAME list, fill and type through the agent socket (prints its path)
       blindfill agent revoke --user NAME  take that back; that user's open connections end
       blindfill agent list [--json]
  The agent user then runs: blindfill mcp --socket PATH (or fill/type/list/status ... --socket PATH).`,
  'mcp-config': `usage: blindfill mcp-config --client claude-code|claude-desktop|cursor

Print the exact MCP configuration for that client: absolute node and program paths, and
BLINDFILL_HOME when it is set. JSON for claude-desktop and cursor; a \`claude mcp add\` line
for claude-code.`,
  mcp: `usage: blindfill mcp

The MCP server on stdio: tools list_credentials, fill_credential, fill_totp, type_credential.`,
  guard: `usage: blindfill guard [--allow-tool NAME]... -- COMMAND [ARGS...]

An MCP server on stdio that starts another MCP server (COMMAND ARGS, e.g.
npx @playwright/mcp --executable-path /usr/bin/chromium) and offers its tools and
blindfill's four in one list. Every result, error, notification, resource and prompt
the other server sends back, and its stderr, is scrubbed first: every vault secret —
raw, base64, base64url, hex, URL-, JSON- and HTML-encoded — and the one-time codes valid
now become [blindfill:LABEL]. Images pass unchanged. While the vault is locked nothing
unscrubbed passes: a tool call answers isError VAULT_LOCKED.
The other server's tools that run code beyond reading the page (browser_evaluate,
browser_run_code_unsafe, evaluate_script, any *_unsafe, *run_code*, *evaluate*, shell
or file-writing tool, any tool whose input takes code) are not offered, and a call to
one answers isError TOOL_WITHHELD; --allow-tool NAME offers one (stderr says what that
gives up). The other server runs in a private work directory (its cwd and output
directory), whose files are scrubbed before each answer and removed on exit, and
without BLINDFILL_* in its environment.
(An argument --help or -h after COMMAND is taken as a request for this help.)`,
  redact: `usage: blindfill redact [--chunk-size N]

Copy stdin to stdout with every vault secret (every encoding the guard covers, and the
one-time codes valid now) replaced by [blindfill:LABEL]. Binary-safe; a secret split
across two reads is still caught. While the vault is locked it prints nothing and exits
1 with error VAULT_LOCKED. --chunk-size: bytes per request to the daemon (default 1 MiB).`,
  audit: `usage: blindfill audit verify

Exit 0 if the audit log's HMAC chain is intact; else non-zero and the first bad line.`,
  daemon: `usage: blindfill daemon

Run the daemon in the foreground (normally started on demand by any command).`,
};
