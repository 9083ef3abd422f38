import { SIGNATURE_TOLERANCE_MS, WebhookBody } from '../../shared/webhooks';
import { COMMON_ERRORS, type Named, type OperationSpec } from '../operation-spec';
import { WebhookAnswer } from '../schemas';

const UNSIGNED = `\`UNAUTHORIZED\`: unsigned, badly signed, or signed more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from the api clock.`;
const STALE = '`STALE_VERSION`: the room is no longer at `version` (a stale or repeated call; nothing changed), or `INVALID_TRANSITION`.';

function webhook(action: keyof typeof WebhookBody, body: Named, operationId: string, summary: string, description: string): OperationSpec {
  return {
    method: 'post',
    path: `/internal/rooms/{code}/${action}`,
    operationId,
    summary,
    description: `${description} Worker only; idempotent through \`version\`.`,
    tag: 'internal',
    auth: 'webhook',
    body,
    answer: { status: 200, schema: { WebhookAnswer }, description: 'The room moved on.' },
    errors: { 400: `${COMMON_ERRORS.badBody} Or ${COMMON_ERRORS.badCode}`, 401: UNSIGNED, 404: COMMON_ERRORS.noRoom, 409: STALE },
  };
}

export const internalOperations: OperationSpec[] = [
  webhook(
    'prepared',
    { PreparedWebhook: WebhookBody.prepared },
    'roomPrepared',
    'Questions are picked: the room moves to the lobby',
    'Stores the questions and opens the lobby.',
  ),
  webhook(
    'failed',
    { FailedWebhook: WebhookBody.failed },
    'roomFailed',
    'The room cannot be prepared',
    'Moves the room to `failed` with the reason players see.',
  ),
  webhook(
    'advance',
    { AdvanceWebhook: WebhookBody.advance },
    'roomAdvance',
    'A deadline has passed: the next phase',
    'Question → reveal → next question, or → finished after the last.',
  ),
  webhook(
    'end',
    { EndWebhook: WebhookBody.end },
    'roomEnd',
    'Housekeeping: end a room left idle or abandoned',
    'A lobby not started or a game left paused for `ROOM_IDLE_SECONDS`, or a running game with nobody connected for `ROOM_ABANDONED_SECONDS`: a lobby is cancelled, a game finishes and its results are saved.',
  ),
];
