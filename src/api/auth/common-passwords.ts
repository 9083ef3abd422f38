import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * NIST SP 800-63B §5.1.1.2: a new password is refused when it is in a list of commonly used or
 * compromised passwords. The list is the ~49,000 most common passwords that zxcvbn-ts ships
 * (`@zxcvbn-ts/language-common`), compared ignoring case. Built once, on first use.
 */
let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}
