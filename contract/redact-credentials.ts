/**
 * The one place that finds credentials written into URLs (`https://x-access-token:ghp_…@github.com/…`) and takes
 * them out of text: configuration values, git's messages (which quote the remote's URL), log lines and errors.
 * Both halves of dynenv use it, so a credential is recognised the same way wherever it travels.
 */

/** What a removed credential is replaced with. */
export const REDACTED = '***';

// scheme://userinfo@ — userinfo is everything up to the last "@" before the host, without "/", space or quotes.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>`]+(?:@[^\s/?#@"'<>`]+)*)@/gi;

// GitHub's token formats (ghp_ personal, gho_ OAuth, ghu_ user-to-server, ghs_ installation, ghr_ refresh, and
// fine-grained github_pat_): recognisable wherever they appear, for instance in an ssh host argument
// (`git:ghp_…@host`) that a transport repeats without a scheme.
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

/**
 * `text` with the userinfo of every URL in it replaced by "***" (`https://***@github.com/acme/shop.git`), and
 * every GitHub token too. The user name of an ssh URL without a password (`ssh://git@host/...`) is not a secret
 * and is kept.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(URL_USERINFO, (match, scheme: string, userinfo: string) => (isCredential(scheme, userinfo) ? `${scheme}${REDACTED}@` : match))
    .replace(GITHUB_TOKEN, REDACTED);
}

/** Whether the URL `url` carries a credential (a password, or any user part of an http(s) URL, which is a token). */
export function hasUrlCredentials(url: string): boolean {
  return redactCredentials(url) !== url;
}

function isCredential(scheme: string, userinfo: string): boolean {
  if (userinfo.includes(':')) return true;
  // GitHub and most hosts take a bare token as the user of an https URL (https://<token>@github.com).
  return /^https?:\/\/$/i.test(scheme);
}
