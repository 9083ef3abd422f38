import { z } from 'zod';

/** A host control that moves the room names the room version it was meant for (the version of the view the host saw). */
export const HostControl = z.object({
  version: z
    .number({
      error: (issue) =>
        issue.input === undefined ? 'name the room version this control is meant for: the `version` of the room view on screen' : 'a room version (an integer)',
    })
    .int()
    .min(1)
    .describe(
      "Required: the room's `version` in the view the host acted on. When the room has moved on since (its clock closed the question, say), the control is refused with 409 `STALE_VERSION` instead of acting on the next phase.",
    ),
});
export type HostControl = z.infer<typeof HostControl>;
