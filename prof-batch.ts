import { createMailchimpSimulator } from "./src/sandbox/mailchimp.js";
import { createHash } from "node:crypto";
const sim = createMailchimpSimulator();
const key = `${"c".repeat(32)}-us21`;
sim.addAccount({ apiKey: key });
const list = sim.addList(key, { name: "B" }).id;
const h = (e: string) => createHash("md5").update(e).digest("hex");
const t0 = performance.now();
for (let b = 0; b < 20; b++) {
  const operations = [];
  for (let i = 0; i < 500; i++) {
    const email = `c${b}-${i}@example.org`;
    operations.push({ method: "PUT", path: `/lists/${list}/members/${h(email)}`, operation_id: email, params: { skip_merge_validation: "true" }, body: JSON.stringify({ email_address: email, status_if_new: "transactional", merge_fields: { FNAME: "A", LNAME: "B", PHONE: "+33 6 12 34 56 78", CODE: "X1" } }) });
    operations.push({ method: "POST", path: `/lists/${list}/members/${h(email)}/tags`, operation_id: `tags:${email}`, body: JSON.stringify({ tags: [{ name: "Ferme Une", status: "active" }, { name: "bio", status: "active" }], is_syncing: true }) });
  }
  const res = await sim.app.request("/3.0/batches", { method: "POST", headers: { authorization: `apikey ${key}`, "content-type": "application/json" }, body: JSON.stringify({ operations }) });
  const { id } = await res.json() as { id: string };
  for (;;) { await new Promise(r => setTimeout(r, 5)); const s = await (await sim.app.request(`/3.0/batches/${id}`, { headers: { authorization: `apikey ${key}` } })).json() as { status: string }; if (s.status === "finished") break; }
}
const ms = performance.now() - t0;
console.log(`20000 ops in ${Math.round(ms)} ms = ${(ms * 1000 / 20000).toFixed(1)} us/op`);
