// A tiny TypeScript client of quizloop, type-checked against the package's published entry (`quizloop/client`,
// built to dist/) by test/unit/client-types.test.ts. Each @ts-expect-error marks a misuse the types must refuse.
import { io, type Socket } from 'socket.io-client';
import { type ClientToServerEvents, ErrorCode, type HostControl, type RoomView, type ServerToClientEvents } from 'quizloop/client';

const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io('http://localhost:3001', { auth: { token: 'a player token' } });

let shown: RoomView | null = null;
socket.on('room:view', (view) => {
  shown = view;
  const choices: string[] = view.question?.choices ?? [];
  if (view.phase === 'reveal' && view.reveal) console.log(choices[view.reveal.correctChoices[0] ?? 0]);
});
socket.on('room:you', (you) => console.log(you.score, you.answer?.points ?? 0));
socket.on('room:countdown', (countdown) => console.log(Math.ceil(countdown.remainingMs / 1000)));
socket.on('room:closed', ({ reason }) => console.log(reason === 'kicked' ? 'removed by the host' : reason));
// The server lost the room's live state: the game cannot go on, and the server says why in words.
socket.on('room:closed', ({ reason, message }) => reason === 'lost' && console.log(message ?? 'the game was lost'));

socket.emit('answer:submit', { questionIndex: 0, choice: 2 }, (ack) => {
  if (ack.ok) console.log('locked in at', ack.receivedAt, 'choice' in ack ? ack.choice : ack.text);
  else if (ack.error.code === ErrorCode.TooLate) console.log('too late');
});
socket.emit('answer:submit', { questionIndex: 1, text: 'Paris' }, () => {});
socket.emit('room:sync', (ack) => {
  if (ack.ok) shown = ack.view;
});

// @ts-expect-error questionIndex is a number
socket.emit('answer:submit', { questionIndex: '0', choice: 2 }, () => {});
// @ts-expect-error no such field on an answer
socket.emit('answer:submit', { questionIndex: 0, choise: 2 }, () => {});
// @ts-expect-error an ack carries no view
socket.emit('answer:submit', { questionIndex: 0, choice: 2 }, (ack) => ack.ok && ack.view);
// @ts-expect-error no such event
socket.emit('room:leave');
// @ts-expect-error the view has no correct answer outside `reveal`
socket.on('room:view', (view) => view.correctChoice);
// @ts-expect-error a close's reason is one of RoomClosed's
socket.on('room:closed', ({ reason }) => reason === 'gone');
// @ts-expect-error a refusal's code is one of ErrorCode
socket.emit('room:sync', (ack) => ack.ok || ack.error.code === 'OOPS');

// A host's Skip names the version of the view it was meant for (POST /rooms/{code}/skip).
const skip: HostControl = { version: 7 };
// @ts-expect-error a host control must name the version
const unnamed: HostControl = {};

export { shown, skip, unnamed };
