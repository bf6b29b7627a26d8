// A redrive's progress: how many dead letters moved of how many there were, live; and how it ended.
import { formatCount, formatTime } from '../format.js';
import { type Html, html } from '../html.js';
import { type PageContext, renderPage } from '../layout.js';
import { paths } from '../paths.js';
import type { RedriveTask } from '../redrive-tasks.js';

export function redriveRegion(task: RedriveTask | null): Html {
  if (!task) return html`<p>No redrive was started here for this queue lately.</p>`;
  const destination = task.to === null ? "each message's source queue" : task.to;
  const max = Math.max(task.total, task.moved, 1);
  const head = html`<p>Started ${formatTime(task.startedAt)}, moving to ${destination}.</p><p><progress max="${max}" value="${task.moved}" aria-label="Dead letters moved">${task.moved} of ${max}</progress></p>`;
  if (task.state === 'running') return html`${head}<p data-state="running">Moved <strong>${formatCount(task.moved)}</strong> of ${formatCount(task.total)} so far.</p>`;
  if (task.state === 'failed') return html`${head}<p class="bad" data-state="failed" role="alert">Stopped after ${formatCount(task.moved)} messages: ${task.error ?? 'unknown error'}</p>`;
  const result = task.result!;
  const where = Object.entries(result.movedTo).map(([queue, n]) => html`<li><a href="${paths.queue(queue)}">${queue}</a>: ${formatCount(n)}</li>`);
  const skipped = result.skipped.length > 0 ? html`<p class="warn">${formatCount(result.skipped.length)} left where they were: ${result.skipped.slice(0, 5).map((s, i) => html`${i > 0 ? '; ' : ''}${s.id} (${s.reason})`)}</p>` : '';
  return html`${head}<p data-state="done">Done: moved <strong>${formatCount(result.moved)}</strong> messages${task.finishedAt ? html` by ${formatTime(task.finishedAt)}` : ''}.</p>${where.length > 0 ? html`<ul>${where}</ul>` : ''}${skipped}`;
}

export function redrivePage(ctx: PageContext, queue: string, task: RedriveTask | null): string {
  const main = html`<h1>Redrive of ${queue}</h1><section data-live="redrive" aria-live="polite">${redriveRegion(task)}</section><p><a href="${paths.queue(queue)}">Back to ${queue}</a></p>`;
  return renderPage(ctx, {
    title: `Redrive ${queue}`,
    crumbs: [{ href: paths.queue(queue), label: queue }, { href: paths.queueRedrive(queue), label: 'redrive' }],
    main,
    refreshSeconds: task?.state === 'running' ? 1 : undefined,
  });
}
