import { z } from 'zod';
import { normalizePhone, PHONE_FORMAT_MESSAGE } from '../validators.js';

/**
 * A phone number field: taken as people type it (spaces, dashes, +86, parentheses…), checked, and
 * handed on in the one normalised form that is stored (see normalizePhone). `allowEmpty` keeps ''
 * as '' (forms that send an empty box for "no phone").
 */
export function phoneField(opts: { allowEmpty?: boolean } = {}) {
  return z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (opts.allowEmpty && v === '') return v;
      const n = normalizePhone(v);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: PHONE_FORMAT_MESSAGE });
        return z.NEVER;
      }
      return n;
    });
}
