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
`;
