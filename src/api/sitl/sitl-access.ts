import type { Response } from 'express';
import type { Submitter } from '../../sitl/submission-service.js';
import { principalOf } from '../access/auth-middleware.js';
import { ForbiddenError } from '../http-errors.js';

/**
 * The submitter behind a request: a team member holding the `sitl` or `super-sitl` role (any
 * instrument scope); `super-sitl` may override the orange warnings. Anyone else is refused.
 */
export function sitlSubmitter(res: Response, need: 'sitl' | 'super-sitl' = 'sitl'): Submitter {
  const principal = principalOf(res);
  if (principal.kind !== 'team') throw new ForbiddenError('SITL submissions need a team member with the sitl or super-sitl role');
  const roles = new Set(principal.roles.map((g) => g.role));
  const isSuperSitl = roles.has('super-sitl');
  if (need === 'super-sitl' && !isSuperSitl) throw new ForbiddenError(`user '${principal.user}' is not a super-SITL: back-structure edits need the super-sitl role`);
  if (!isSuperSitl && !roles.has('sitl')) throw new ForbiddenError(`user '${principal.user}' has neither the sitl nor the super-sitl role`);
  return { user: principal.user, isSuperSitl };
}
