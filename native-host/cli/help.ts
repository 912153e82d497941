/** `--help` text for every command. */
export const HELP: Record<string, string> = {
  '': `blindfill — let AI agents log in without ever seeing a secret

usage: blindfill <command> [options]     (blindfill <command> --help for more)

  init --passphrase-stdin | --keychain   create an empty vault and unlock it
  unlock [--passphrase-stdin] [--idle-timeout 30m]
  lock                                   lock now; the key leaves memory
  status [--json]                        vault state, credential count, connected browsers
  add [--json-stdin]                     add a credential (or an array); prompts on a terminal
  list [--json [--usernames]] [--origin URL|active_tab]
                                         credentials without secrets (usernames for the owner)
  remove LABEL                           remove a credential
  edit LABEL --json-stdin                change some fields of a credential (JSON on stdin)
  rename OLD NEW                         give a credential a new label
  passwd [--to-keychain | --to-passphrase]
                                         change the vault passphrase (old then new on stdin),
                                         or move the key to or from the OS keychain
  fill LABEL [--submit] [--totp]         fill the browser's active tab
  type LABEL [--field F] [--submit]      type into the focused desktop window
  create LABEL [--username U] [--submit] sign up on the active tab with a generated password
  change-password LABEL [--submit]       rotate a password on the active tab's change form
  versions LABEL [--json]                which password versions a flow left (no values)
  confirm-password LABEL [--keep V]      keep one version (current, new, previous), drop the rest
  passkey use|create LABEL               arm one passkey sign-in / registration on the active tab
  host install|uninstall --browser B | --all [--user-data-dir DIR] [--flatpak]
                                         register (or remove) the native messaging host
  import --format F FILE [--dry-run]     import from Bitwarden, Chrome/Edge, Firefox, 1Password,
                                         KeePassXC or otpauth:// lines
  doctor [--json] [--fix]                check permissions, daemon, browsers, audit log, vault
  mcp                                    the MCP server on stdio (for agents)
  daemon restart | stop                  restart or stop the daemon (the vault ends locked)
  recovery export --out FILE | import FILE
                                         a recovery copy of a keychain vault's key (asks to confirm)
  guard [--allow-tool NAME]... -- COMMAND [ARGS...]
                                         run another MCP server (e.g. Playwright MCP) behind
                                         blindfill: one tool list, every vault secret scrubbed
  redact [--chunk-size N]                stdin to stdout with every vault secret scrubbed
  mcp-config --client C                  the config to paste into claude-code, claude-desktop, cursor
  audit verify                           check the audit log's HMAC chain
  remote add|list|sync|remove|put        team vaults on OpenBao / Vault KV v2 (docs/REMOTES.md)

Environment: BLINDFILL_HOME (default ~/.local/share/blindfill). Secrets are read only
from stdin or a no-echo prompt, never from arguments.`,
  init: `usage: blindfill init --passphrase-stdin [--idle-timeout 30m]
       blindfill init --keychain [--idle-timeout 30m]

Create an empty vault in BLINDFILL_HOME and leave the daemon unlocked.
  --passphrase-stdin  derive the key from the passphrase on stdin (scrypt N=2^17 r=8 p=1)
  --keychain          a random 256-bit key kept in the OS keychain (Secret Service, Keychain)
  --idle-timeout D    lock after D idle: 90s, 15m, 2h, 1h30m, 1d; a plain number is minutes
                      (default 30 minutes, at most 7 days); the command prints what it set
Without either, asks for a passphrase on the terminal (twice).
A passphrase must reach a minimum strength (zxcvbn-ts score 3 of 4: several unrelated
words do); a weaker one is refused with the reason (WEAK_PASSPHRASE), or asked again on
a terminal.`,
  unlock: `usage: blindfill unlock [--passphrase-stdin] [--idle-timeout 30m]

Unlock the daemon. It locks itself after the idle timeout (default 30 minutes):
90s, 15m, 2h, 1h30m, 1d; a plain number is minutes; at most 7 days. Prints what it set.
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
  list: `usage: blindfill list [--json [--usernames]] [--origin URL|active_tab]

Labels, usernames, policy, which secrets are set, origins and windows; never a password,
seed or code. Usernames are shown to the vault's owner only: not through an agent socket,
not under \`blindfill guard\` or \`blindfill mcp\`, never to the MCP tool list_credentials.
--json prints CONTRACT's fields (no username); --json --usernames adds "username".
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
current passphrase is wrong (checks are throttled: RATE_LIMITED); WEAK_PASSPHRASE when
the new one is below the minimum strength (as for init).`,
  passkey: `usage: blindfill passkey use|create LABEL [--json] [--browser-profile DIR]

Arm one WebAuthn ceremony on the connected browser's active tab for a short time (MCP
use_passkey / create_passkey): the page's next navigator.credentials.get() (use) or
.create() (create) is answered by blindfill; the private key stays in the daemon.`,
  fill: `usage: blindfill fill LABEL [--submit] [--totp] [--json]

Fill the login form in the connected browser's active tab, if its origin matches the
credential's origins. --totp fills the one-time code instead (MCP fill_totp).`,
  create: `usage: blindfill create LABEL [--username U] [--submit] [--length N] [--classes lower,upper,digit,special] [--json]

On the sign-up form of the connected browser's active tab: generate a password (honouring
the form's passwordrules, minlength, maxlength and pattern), store it as LABEL bound to the
page's origin (saved before anything is filled), and fill it into every new-password field
of that form, with the username where asked. With --submit the result carries the outcome;
a sign-up the site rejects stays pending (listed, removable, never offered to agents).
The same as the MCP tool create_credential.`,
  'change-password': `usage: blindfill change-password LABEL [--submit] [--length N] [--classes …] [--json]

On the change-password form of the active tab: fill LABEL's current password and a new
generated one (new and confirm). The new password is saved beside the current one before
the fill, and becomes current only when the outcome is signed_in; the old one is kept as
the previous version. See blindfill versions / confirm-password. MCP: change_password.`,
  versions: `usage: blindfill versions LABEL [--json]

Which passwords LABEL holds after an account flow: current, new (a change not yet
confirmed by the site), previous (before the last change); and whether it is a pending
sign-up. Never a value. JSON: {"label","pending"?,"versions":{"current","new","previous"}}.`,
  'confirm-password': `usage: blindfill confirm-password LABEL [--keep current|new|previous]

End an account flow: keep one password (default: the current one) and drop the other
versions; a pending sign-up becomes an ordinary credential offered to agents.`,
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
  import: `usage: blindfill import --format FORMAT FILE [--dry-run] [--json] [--label-with-username] [--exact-origins]

FORMAT: bitwarden (.json, unencrypted), bitwarden-csv, chrome, edge, firefox, 1password
(CSV), 1pux (1Password .1pux), keepassxc (CSV), keepassxc-xml (keepassxc-cli export --format xml), otpauth (otpauth:// URIs one a line, including Google Authenticator
otpauth-migration://). URLs become origins (scheme, host, port); a bare or www. host
becomes https://*.site where the Public Suffix List allows (--exact-origins: never).
http: sites other than localhost, app URIs and entries without a URL are skipped with the
reason; a TOTP blindfill cannot use (steam://, HOTP, a bad seed) is left out and the login
kept, with a note; KeePassXC {REF:...} placeholders are resolved in the file or the entry
skipped. Labels: the site's name and the title's other words (google-work), then the
folder or subdomain, then -2, -3...; the username only with --label-with-username. An
entry the vault already holds (same username, password, TOTP seed, a shared origin) is
reported "already in vault" and not added again. --dry-run lists the labels and origins
it would create and writes nothing. All or nothing: one batch. --json prints
{"imported","skipped","already","created" (or "would_create"),"notes"}.`,
  doctor: `usage: blindfill doctor [--json] [--fix]

Checks: directory and file permissions, the daemon, vault state, keychain, each browser's
host registration (manifest, launcher, node and program, refuses a foreign caller), a
connected extension, the audit chain, credentials with no origins or windows, http: origins,
reused passwords (compared inside the daemon; only labels are shown). Each: ok, warn, fail
or skip, with a one-line fix. Also whether a display and a dialog program can be reached for
confirmations (policy confirm). --fix repairs only what is safe (chmod of blindfill's own
directories and files, reinstalling a broken or deleted registration with only the extension
IDs host install recorded) and says what it did.
Exit 1 when a check fails.`,
  agent: `usage: blindfill agent allow --user NAME   let OS user NAME list, fill and type through the agent socket (prints its path)
       blindfill agent allow --user NAME --guard TOOL [--allow-tool T]... -- COMMAND [ARGS...]
                                           also register a browser tool (e.g. Playwright MCP) that user may
                                           start; it runs as you, behind blindfill guard
       blindfill agent revoke --user NAME  take that back; that user's open connections and guards end
       blindfill agent list [--json]
  The agent user then runs: blindfill mcp --socket PATH (or fill/type/list/status ... --socket PATH),
  and for its browser tool: blindfill guard --socket PATH --name TOOL.`,
  remote: `usage: blindfill remote add NAME --openbao URL[,URL…] --mount M --path P --role-id ID [--ca-file F]
       blindfill remote list [--json]
       blindfill remote sync NAME
       blindfill remote remove NAME
       blindfill remote put NAME LABEL        (credential JSON on stdin)

A remote is a KV v2 mount on OpenBao (or HashiCorp Vault): one secret per credential at
M/data/P/LABEL. The AppRole secret-id is read from stdin (or a hidden prompt) and kept sealed
with the vault's key. Several comma-separated URLs name the nodes of one cluster. While the
vault is unlocked the daemon refreshes every BLINDFILL_REMOTE_REFRESH_S (5) seconds; fetched
credentials keep working BLINDFILL_REMOTE_GRACE_S (300) seconds after the last refresh that
succeeded, then refuse with REMOTE_UNAVAILABLE. See docs/REMOTES.md.`,
  'mcp-config': `usage: blindfill mcp-config --client claude-code|claude-desktop|cursor

Print the exact MCP configuration for that client: absolute node and program paths, and
BLINDFILL_HOME when it is set. JSON for claude-desktop and cursor; a \`claude mcp add\` line
for claude-code.`,
  mcp: `usage: blindfill mcp

The MCP server on stdio: tools list_credentials, fill_credential, fill_totp, type_credential.`,
  guard: `usage: blindfill guard [--allow-tool NAME]... -- COMMAND [ARGS...]
       blindfill guard --socket PATH [--name TOOL]   (an agent user: relay to the browser
                                                       tool the owner registered; see agent)

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
  recovery: `usage: blindfill recovery export --out FILE
       blindfill recovery import FILE|-

For a keychain vault (blindfill init --keychain), whose key lives only in the OS keychain:
export writes the key to FILE (created new, mode 0600; never to the screen) after you
confirm on the terminal. Keep it offline: anyone with it and the vault file opens every
credential. import puts the key back into the OS keychain (a new keyring, a reinstalled
machine) after checking that it opens this vault; then blindfill unlock.
A passphrase vault needs none: its passphrase is the recovery.`,
  audit: `usage: blindfill audit verify

Exit 0 if the audit log's HMAC chain is intact; else non-zero and the first bad line.`,
  daemon: `usage: blindfill daemon            run the daemon in the foreground (normally started on demand)
       blindfill daemon restart    stop the running daemon and start a new one
       blindfill daemon stop       stop the running daemon

A stop locks the vault first: the key and every secret leave memory with the process, so
after a restart the vault is locked (blindfill unlock; a keychain vault needs no passphrase).
The new daemon keeps the environment of what started it (this command, or a connected
browser's native host reconnecting first). Confirmation dialogs open on the display of the
command or MCP server that asked; the daemon's own display is the fallback.`,
};
