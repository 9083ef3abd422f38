// @ts-check
import { showError } from './dom.js';
/** A REST failure with the api's problem+json `detail` as its message and `code` for decisions. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {{ status?: number, code?: string, fields?: { path: string, message: string }[] }} [info]
   */
  constructor(message, info = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = info.status ?? 0;
    this.code = info.code ?? 'NETWORK';
    /** A 400's problems, one per field (`path` as the api names it), for messages beside the fields. */
    this.fields = info.fields ?? [];
  }
}

/**
 * Calls the api on this page's origin. Resolves with the JSON body, or throws an ApiError whose
 * message is fit to show a person (the problem's `detail`, else a plain description).
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, raw?: { text: string, type: string }, token?: string }} [options]
 */
export async function api(method, path, options = {}) {
  const headers = { accept: 'application/json, application/problem+json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // A body sent as it is (a CSV file, say), with its own content type.
  if (options.raw !== undefined) headers['content-type'] = options.raw.type;
  let res;
  try {
    const body = options.raw !== undefined ? options.raw.text : options.body === undefined ? undefined : JSON.stringify(options.body);
    res = await fetch(path, { method, headers, body });
  } catch {
    throw new ApiError('Could not reach the quizloop server. Check your connection and try again.');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): the status line below says enough.
  }
  if (!res.ok) {
    const detail = data && typeof data.detail === 'string' ? data.detail : `The server answered ${res.status} ${res.statusText}.`;
    const fields = Array.isArray(data?.errors) ? data.errors.filter((e) => typeof e?.path === 'string' && typeof e?.message === 'string') : [];
    throw new ApiError(detail, { status: res.status, code: data && typeof data.code === 'string' ? data.code : undefined, fields });
  }
  return data;
}

/** The worker saves a game's results within seconds of its end: until then the api answers 404, so that is asked again. */
async function fetchSaved(url, token) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.status !== 404 || attempt >= 20) return res;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Results are private to the host and players, and a plain link sends no token: the link keeps its
 * address, and a click fetches it with `token` and saves what comes back under the server's file name.
 * @param {HTMLAnchorElement} link
 * @param {string | undefined} token
 */
export function downloadWithToken(link, token) {
  link.onclick = async (event) => {
    event.preventDefault();
    let res;
    try {
      res = await fetchSaved(link.href, token);
    } catch (err) {
      return showError(`Could not download the results: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!res.ok) {
      const problem = await res.json().catch(() => null);
      return showError(`Could not download the results: ${typeof problem?.detail === 'string' ? problem.detail : `the server answered ${res.status}.`}`);
    }
    const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'results.csv';
    const url = URL.createObjectURL(await res.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = name;
    save.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
}
