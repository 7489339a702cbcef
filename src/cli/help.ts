/** The help texts: `tollgate --help`, `tollgate <group> --help`, `tollgate <group> <command> --help`. */
const CONFIG_NOTE = `Configuration comes from the environment, read and validated as the server does
(DATA_DIR, EVENTSTORE_URL, MONGO_URL, KEYS_DIR, TOKEN_SIGNING_ALG, ACCESS_TOKEN_TTL, ...).`;

const EXIT_NOTE = `Exit codes: 0 ok, 1 unexpected failure, 2 usage error, 3 invalid configuration,
4 not found, 5 store unavailable, 6 refused (nothing changed), 130 interrupted.`;

export const HELP: Record<string, string> = {
  '': `Usage: tollgate <command> [options]

Operator commands for Tollgate.

Commands:
  keys generate                 create the first signing key pair in KEYS_DIR
  keys rotate                   add a new signing key; the previous one stays published
  projections rebuild           rebuild the read model from position zero, with progress
  users unlock <username>       unlock a user (and reset login failures), as the system
  users reset-password <username>
                                set a user's password, read from a prompt or stdin

Options:
  -h, --help                    show help (also after any command)

${CONFIG_NOTE}
${EXIT_NOTE}
`,
  keys: `Usage: tollgate keys <generate|rotate>

  generate   create the first key pair (refused, exit 6, if KEYS_DIR already has keys)
  rotate     add a new signing key; the previous public key stays in the JWKS for
             ACCESS_TOKEN_TTL seconds (exit 4 if there are no keys to rotate)

Uses KEYS_DIR and TOKEN_SIGNING_ALG. Prints key ids, never key material. Running servers
sign with the new key within 10 s.
`,
  'keys generate': `Usage: tollgate keys generate

Creates a ${'TOKEN_SIGNING_ALG'} key pair in KEYS_DIR (private key mode 0600) and makes it active.
Refused (exit 6) if KEYS_DIR already has keys: use "tollgate keys rotate".
`,
  'keys rotate': `Usage: tollgate keys rotate

Adds a new signing key to KEYS_DIR and makes it active. The previous public key stays in the
JWKS for ACCESS_TOKEN_TTL seconds; expired retired keys are removed. Exit 4 without keys.
`,
  projections: `Usage: tollgate projections rebuild

  rebuild    clear the read model and replay the event store from position zero
`,
  'projections rebuild': `Usage: tollgate projections rebuild

Clears the read model (MONGO_URL, or memory) and replays every event into it. On a terminal
it draws a progress bar with the rate and an ETA; otherwise it prints one plain progress
line about every second. With the in-memory read model nothing is kept (the server rebuilds
it at every start): the replay checks that the store can be projected.
`,
  users: `Usage: tollgate users <unlock|reset-password> <username>

Emergency access when no administrator can sign in. Works on the event store directly and
is recorded as events of the system actor (actor "system", actorKind "system").

  unlock <username>           unlock the user and reset their login failures
  reset-password <username>   set a new password: prompted for without echo on a terminal,
                              else the first line of stdin. Never taken from the command line.
`,
  'users unlock': `Usage: tollgate users unlock <username>

Unlocks the user and resets their login failures, recorded as the system actor. Exit 4 if
there is no such user.
`,
  'users reset-password': `Usage: tollgate users reset-password <username>

Sets a new password for the user, recorded as the system actor. The password is prompted for
twice without echo on a terminal, or read as the first line of stdin
(e.g. printf '%s\\n' "$NEW_PASSWORD" | tollgate users reset-password alice). It is never
accepted on the command line. At least 8 characters (exit 6 otherwise). Exit 4 if there is
no such user.
`,
};
