import { describe, expect, it } from "vitest";
import { defaultTemplate } from "../../src/campaigns/default-templates.js";
import type { OrderCycleData } from "../../src/campaigns/payload.js";
import { type RenderContext, renderCampaign } from "../../src/campaigns/render.js";
import { sanitizeHtml } from "../../src/campaigns/sanitize.js";

// Intl may put a narrow no-break space before "pm": compare on plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

const cycle: OrderCycleData = {
  id: 3813,
  name: "Another test order cycle",
  ordersOpenAt: "2023-02-07T17:10:00.000+11:00",
  openedAt: "2023-02-07T17:12:45.000+11:00",
  ordersCloseAt: "2023-02-08T12:00:00.000+11:00",
  coordinatorId: 2515,
  coordinatorName: "David's Dev Shop",
};

const context = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  locale: "en",
  timeZone: "Europe/Paris",
  orderCycle: cycle,
  shopName: "Green Farm",
  shopUrl: "https://openfoodnetwork.org.au/green-farm/shop",
  ...overrides,
});

describe("dates in the shop's language and time zone", () => {
  it("writes French dates for a shop in Paris", () => {
    const { variables } = renderCampaign(defaultTemplate("fr", "announcement"), context({ locale: "fr" }));
    // 17:10 in Melbourne (UTC+11) is 07:10 in Paris (UTC+1).
    expect(variables.opens_at).toBe("mardi 7 février à 07:10");
    expect(variables.closes_date).toBe("mercredi 8 février");
    expect(variables.closes_time).toBe("02:00");
  });

  it("writes English dates for a shop in Paris", () => {
    const { variables } = renderCampaign(defaultTemplate("en", "announcement"), context());
    expect(variables.opens_at).toBe("Tuesday 7 February at 07:10");
    expect(variables.closes_at).toBe("Wednesday 8 February at 02:00");
  });

  it("writes Australian English and French for a shop in Melbourne", () => {
    const en = renderCampaign(
      defaultTemplate("en", "announcement"),
      context({ timeZone: "Australia/Melbourne" }),
    );
    expect(plain(en.variables.opens_at)).toBe("Tuesday 7 February at 5:10 pm");
    expect(plain(en.variables.closes_time)).toBe("12:00 pm");
    const fr = renderCampaign(
      defaultTemplate("fr", "announcement"),
      context({ locale: "fr", timeZone: "Australia/Melbourne" }),
    );
    expect(fr.variables.opens_at).toBe("mardi 7 février à 17:10");
  });

  it("says so when the cycle has no closing time, and survives an unknown zone", () => {
    const { variables, subject } = renderCampaign(
      { subject: "Closes {{closes_at}}", body: "x", bodyFormat: "markdown" },
      context({ orderCycle: { ...cycle, ordersCloseAt: null }, timeZone: "Mars/Olympus" }),
    );
    expect(subject).toBe("Closes (no closing date)");
    expect(variables.opens_at).toBe("Tuesday 7 February at 06:10"); // UTC
  });
});

describe("values are escaped, bodies sanitised", () => {
  const hostile: OrderCycleData = { ...cycle, name: `<img src=x onerror="alert(1)"> & "friends"` };

  it("escapes every value in the body, keeps the subject as plain text", () => {
    const rendered = renderCampaign(
      defaultTemplate("en", "announcement"),
      context({ orderCycle: hostile, shopName: "<b>Bold</b> farm" }),
    );
    expect(rendered.bodyHtml).toContain(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;friends&quot;",
    );
    expect(rendered.bodyHtml).toContain("&lt;b&gt;Bold&lt;/b&gt; farm");
    expect(rendered.bodyHtml).not.toContain("<img");
    expect(rendered.bodyHtml).not.toContain("<b>");
    expect(rendered.subject).toBe(
      `<img src=x onerror="alert(1)"> & "friends": orders are open at <b>Bold</b> farm`,
    );
    expect(rendered.html).toContain("<title>&lt;img");
  });

  it("turns Markdown into HTML with the shop link", () => {
    const rendered = renderCampaign(
      {
        subject: "{{order_cycle_name}}",
        bodyFormat: "markdown",
        body: "# Open!\n\n**{{shop_name}}** is *open*:\n\n- order at [our shop]({{shop_url}})\n- closes {{closes_at}}",
      },
      context(),
    );
    expect(rendered.bodyHtml).toContain("<h1>Open!</h1>");
    expect(rendered.bodyHtml).toContain("<strong>Green Farm</strong> is <em>open</em>");
    expect(rendered.bodyHtml).toContain(
      '<a href="https://openfoodnetwork.org.au/green-farm/shop">our shop</a>',
    );
    expect(rendered.bodyHtml).toContain("<li>closes Wednesday 8 February at 02:00</li>");
  });

  it("does not let Markdown syntax inside a value become markup", () => {
    const rendered = renderCampaign(
      { subject: "s", bodyFormat: "markdown", body: "Cycle: {{order_cycle_name}}" },
      context({ orderCycle: { ...cycle, name: "**not bold** [link](javascript:alert(1))" } }),
    );
    expect(rendered.bodyHtml).toBe("<p>Cycle: **not bold** [link](javascript:alert(1))</p>\n");
  });

  it("never links to a shop URL that is not a web address", () => {
    const rendered = renderCampaign(
      { subject: "s", bodyFormat: "html", body: '<a href="{{shop_url}}">shop</a>' },
      context({ shopUrl: "javascript:alert(1)" }),
    );
    expect(rendered.bodyHtml).toBe('<a href="">shop</a>');
  });

  it("reports placeholders it does not know and leaves them visible", () => {
    const rendered = renderCampaign(
      { subject: "{{ Shop_Name }} {{nope}}", bodyFormat: "html", body: "<p>{{also_nope}}</p>" },
      context(),
    );
    expect(rendered.subject).toBe("Green Farm {{nope}}");
    expect(rendered.unknownVariables.sort()).toEqual(["also_nope", "nope"]);
    expect(rendered.bodyHtml).toBe("<p>{{also_nope}}</p>");
  });
});

describe("sanitizeHtml", () => {
  it.each([
    ['<p onclick="x()">hi</p>', "<p>hi</p>"],
    ["<script>alert(1)</script><p>after</p>", "<p>after</p>"],
    ['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
    ['<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"],
    [
      '<a href="https://ok.example/?a=1&amp;b=2" target="_blank">x</a>',
      '<a href="https://ok.example/?a=1&amp;b=2">x</a>',
    ],
    [
      '<img src="https://ok.example/a.png" onerror="x" width="200">',
      '<img src="https://ok.example/a.png" width="200">',
    ],
    ["<style>p{}</style><iframe src=x></iframe>text", "text"],
    ["<b>unclosed <i>nested", "<b>unclosed <i>nested</i></b>"],
    ["</div>stray close", "stray close"],
    ["a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"],
    ["&copy; &eacute;t&eacute; &lt;tag&gt;", "&copy; &eacute;t&eacute; &lt;tag&gt;"],
    ["<!-- hidden --><p>seen</p>", "<p>seen</p>"],
    ["<svg><script>alert(1)</script></svg>ok", "ok"],
    ['<p title="x" style="color:red">t</p>', "<p>t</p>"],
  ])("%s", (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });
});

describe("a template rendered again (its Markdown is prepared once)", () => {
  it("fills each render with its own values only, and still reports unknown placeholders", () => {
    const template = {
      subject: "{{order_cycle_name}}",
      body: "**{{shop_name}}** [shop]({{shop_url}}) {{mystery}}",
      bodyFormat: "markdown" as const,
    };
    const first = renderCampaign(template, context({ shopName: "<b>First & co</b>" }));
    const second = renderCampaign(
      template,
      context({ shopName: "Second", shopUrl: "https://ofn.example/second/shop" }),
    );
    expect(first.bodyHtml).toContain("<strong>&lt;b&gt;First &amp; co&lt;/b&gt;</strong>");
    expect(first.bodyHtml).toContain('href="https://openfoodnetwork.org.au/green-farm/shop"');
    expect(second.bodyHtml).toContain("<strong>Second</strong>");
    expect(second.bodyHtml).toContain('href="https://ofn.example/second/shop"');
    expect(second.bodyHtml).not.toContain("First");
    expect(first.unknownVariables).toEqual(["mystery"]);
    expect(second.unknownVariables).toEqual(["mystery"]);
    // The template edited: the new text, not the prepared one.
    const edited = renderCampaign({ ...template, body: "_{{shop_name}}_" }, context({ shopName: "Third" }));
    expect(edited.bodyHtml).toBe("<p><em>Third</em></p>\n");
  });
});
