import { existsSync } from 'node:fs';
import { AUTO_INSTALL_SETTING, type Say, aptInstall, autoInstallRefusal, isDebianLike } from '../../src/local/system-packages';
import { CHROMIUM_PATH } from '../helpers/browser';

/**
 * The browser tests drive Debian's chromium. When it is missing, local development and CI fetch it
 * with its fonts through apt-get (as root or with passwordless sudo), saying so in one line.
 */
export async function ensureChromium(say: Say): Promise<void> {
  if (existsSync(CHROMIUM_PATH)) return;
  const refusal = autoInstallRefusal(process.env);
  if (refusal) throw new Error(`${CHROMIUM_PATH} is missing and ${refusal}`);
  if (!isDebianLike(process.env)) throw new Error(`${CHROMIUM_PATH} is missing and there is no apt-get to install it with`);
  say(`no chromium for the browser tests: installing chromium and fonts-liberation with apt-get (${AUTO_INSTALL_SETTING}=0 turns this off)`);
  await aptInstall(['chromium', 'fonts-liberation']);
}
