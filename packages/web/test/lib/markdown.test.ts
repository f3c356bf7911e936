import { describe, expect, it } from "vitest";
import { isSafeUrl, markdownToHtml, renderNotes } from "../../src/lib/markdown.js";

describe("markdownToHtml", () => {
  it("renders headings, emphasis, lists and code", () => {
    expect(markdownToHtml("# Result")).toBe("<h1>Result</h1>\n");
    expect(markdownToHtml("**bold** and `x < y`")).toBe(
      "<p><strong>bold</strong> and <code>x &lt; y</code></p>\n",
    );
    expect(markdownToHtml("- a\n- b")).toBe("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    expect(markdownToHtml("```py\nprint('<b>')\n```")).toBe(
      '<pre><code class="language-py">print(&#39;&lt;b&gt;&#39;)\n</code></pre>\n',
    );
  });

  it("renders inline math with KaTeX", () => {
    const html = markdownToHtml("loss $x^2$ here");
    expect(html).toContain('<span class="katex">');
    expect(html).toContain('<annotation encoding="application/x-tex">x^2</annotation>');
    expect(html).not.toContain("katex-display");
  });

  it("renders display math, inline or as a block", () => {
    expect(markdownToHtml("$$\\int_0^1 f(x)\\,dx$$")).toContain('class="katex-display"');
    const block = markdownToHtml("$$\n\\frac{a}{b}\n$$\n");
    expect(block).toContain('class="katex-display"');
    expect(block).toContain("\\frac{a}{b}");
  });

  it("leaves dollar amounts alone and shows broken LaTeX as an error, not a crash", () => {
    expect(markdownToHtml("costs $5 and $6")).toBe("<p>costs $5 and $6</p>\n");
    expect(markdownToHtml("bad $\\frac{$ tex")).toContain("katex-error");
  });

  it("shows raw HTML as text, so <script> and onerror never become elements", () => {
    expect(markdownToHtml("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    const img = markdownToHtml('x <img src=x onerror="alert(1)"> y');
    expect(img).not.toContain("<img");
    expect(img).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("drops javascript: URLs from links and images but keeps safe ones", () => {
    const html = markdownToHtml(
      "[a](javascript:alert(1)) [b](https://x.org) ![i](javascript:x) [c](runs/abc)",
    );
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<a href="https://x.org" rel="noopener noreferrer" target="_blank">b</a>');
    expect(html).toContain('<a href="runs/abc"');
    expect(html).toMatch(/<p>a /);
  });
});

describe("isSafeUrl", () => {
  it("accepts web, mail, anchor and relative URLs only", () => {
    for (const url of [
      "https://a.b",
      "http://a",
      "mailto:x@y",
      "#top",
      "/abs",
      "./rel",
      "rel/x",
      "file.png",
    ]) {
      expect(isSafeUrl(url), url).toBe(true);
    }
    for (const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:x",
      "java\tscript:x",
      " javascript:x",
      "data:text/html,x",
      "vbscript:x",
    ]) {
      expect(isSafeUrl(url), url).toBe(false);
    }
  });
});

describe("renderNotes", () => {
  it("passes the rendered HTML through the injected sanitizer", () => {
    const seen: string[] = [];
    const out = renderNotes("# Hi $a$", (html) => {
      seen.push(html);
      return "clean";
    });
    expect(out).toBe("clean");
    expect(seen).toEqual([markdownToHtml("# Hi $a$")]);
  });
});
