/**
 * The whole credential list, in pages: one native-messaging message from the host to the
 * browser holds at most 1 MB (Chromium's limit), and 10,000 credentials are more than that.
 */
import { MAX_HOST_TO_BROWSER } from '../../shared/constants.js';
import type { OwnerCredentialSummary } from '../../shared/credential.js';
import type { DaemonAnswer } from '../../shared/settings-protocol.js';
import { daemon } from '../ui/client.js';

/** Room for the envelope around the credentials in the host's reply. */
const PAGE_BYTES = MAX_HOST_TO_BROWSER - 64 * 1024;

/** `usernames`: the owner's view (the settings page is the owner's). */
export async function listAll(opts: { usernames?: true } = {}): Promise<DaemonAnswer<'list'>> {
  const credentials: OwnerCredentialSummary[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await daemon('list', { ...opts, max_bytes: PAGE_BYTES, ...(after !== undefined ? { after } : {}) });
    if (!r.ok) return r;
    credentials.push(...r.result.credentials);
    if (r.result.next === undefined) return { ok: true, result: { credentials } };
    after = r.result.next;
  }
}
