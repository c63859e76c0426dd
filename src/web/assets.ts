/** The stylesheet, served from memory: system fonts, contrast above WCAG AA, visible focus. */
export const APP_CSS = `
:root { color-scheme: light; --fg: #1b1f23; --muted: #4a5259; --accent: #1d6b38; --bg: #f6f7f4; --card: #fff; --danger: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
.site-header { display: flex; justify-content: space-between; align-items: center; padding: .75rem 1.25rem; background: var(--accent); }
.site-header a { color: #fff; text-decoration: none; font-weight: 600; }
.site-header a:focus-visible, a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
main { max-width: 56rem; margin: 1.5rem auto; padding: 0 1rem; }
.card { background: var(--card); border: 1px solid #d5d9d0; border-radius: .5rem; padding: 1.25rem 1.5rem; margin-bottom: 1rem; }
.muted { color: var(--muted); }
.button, button { display: inline-block; background: var(--accent); color: #fff; border: 0; border-radius: .375rem; padding: .55rem 1rem; font: inherit; font-weight: 600; text-decoration: none; cursor: pointer; }
.button.secondary, button.secondary { background: #e8ebe4; color: var(--fg); }
button.danger { background: var(--danger); }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input, select, textarea { font: inherit; width: 100%; padding: .5rem; border: 1px solid #767676; border-radius: .375rem; background: #fff; color: var(--fg); }
input[type=checkbox], input[type=radio] { width: auto; }
.hint { color: var(--muted); font-size: .925rem; margin: .25rem 0; }
.error { color: var(--danger); font-weight: 600; }
.notice { border-left: 4px solid var(--accent); padding: .5rem .75rem; background: #eef6ef; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid #d5d9d0; }
progress { width: 100%; height: 1.25rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
/* Setup pages and dashboard (src/web/pages) */
.visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.3rem; margin: 0 0 .5rem; }
h3 { font-size: 1.1rem; margin: 1rem 0 .4rem; }
a { color: #0b5394; }
.site-header a { color: #fff; }
.lead { font-size: 1.125rem; }
.account-bar { display: flex; justify-content: flex-end; align-items: baseline; gap: 1rem; margin-bottom: 1rem; }
form.inline { display: inline; }
button.link { background: none; color: #0b5394; padding: 0; font-weight: 400; line-height: inherit; text-decoration: underline; }
button + a, button + button { margin-left: .75rem; }
progress { accent-color: var(--accent); }
.steps ol { display: flex; flex-wrap: wrap; gap: .25rem .5rem; list-style: none; padding: 0; margin: .25rem 0 1rem; counter-reset: step; }
.steps li { counter-increment: step; padding: .2rem .6rem; border-radius: 1rem; background: #e8ebe4; color: var(--fg); font-size: .9rem; }
.steps li::before { content: counter(step) ". "; }
.steps li.done { background: #d7eadb; }
.steps li.current { background: var(--accent); color: #fff; font-weight: 700; }
.steps p { margin: 0; }
fieldset { border: 1px solid #d5d9d0; border-radius: .375rem; padding: .5rem 1rem 1rem; margin: 1rem 0; }
legend { font-weight: 700; padding: 0 .25rem; }
.field { margin: 1rem 0; }
.field.has-error { border-left: 4px solid var(--danger); padding-left: .75rem; }
.field.has-error input, .field.has-error select, .field.has-error textarea { border: 2px solid var(--danger); }
.choice { display: grid; grid-template-columns: auto 1fr; gap: 0 .5rem; align-items: start; margin: .5rem 0; }
.choice input { margin-top: .35rem; width: 1.1rem; height: 1.1rem; }
.choice label { margin: 0; }
.choice .hint { grid-column: 2; }
.error-summary { border: 3px solid var(--danger); border-radius: .375rem; padding: .75rem 1rem; margin: 1rem 0; background: #fff5f5; }
.error-summary h2 { color: var(--danger); font-size: 1.15rem; }
.error-summary a { color: var(--danger); font-weight: 600; }
.problem { border-left: 4px solid var(--danger); padding: .5rem .75rem; background: #fff5f5; }
.problem.small { font-size: .925rem; margin: .25rem 0 0; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: .75rem; background: #e8ebe4; color: var(--fg); font-size: .9rem; font-weight: 600; }
.badge.succeeded, .badge.sent { background: #d7eadb; color: #14522b; }
.badge.failed { background: #fbe0e0; color: #8a1116; }
.badge.running, .badge.queued, .badge.pending, .badge.scheduled, .badge.draft { background: #fdf0c8; color: #5c4300; }
.grid-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem; }
.health { border: 1px solid #d5d9d0; border-radius: .375rem; padding: .75rem 1rem; }
.health.broken { border-color: var(--danger); }
.health h3 { margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.copy-row { display: flex; gap: .5rem; }
.copy-row input { flex: 1; }
.how-to li { margin: .35rem 0; }
ul.plain { list-style: none; padding: 0; }
.danger-zone { border-color: var(--danger); }
.email-preview { border: 1px dashed #767676; border-radius: .375rem; padding: .75rem 1rem; background: #fff; }
.sync-progress label { margin-top: .25rem; }
.progress-text { margin: .25rem 0 1rem; }
td form.inline button { margin-top: .25rem; }
th[scope=row] { width: 12rem; }
`;
