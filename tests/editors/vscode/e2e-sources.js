// End-to-end test in real VS Code (code-server, Chromium, playwright-core):
// go to source from a note into a PDF and into an HTML page. Opens
// examples/research-pdf/notes.md (a scratch copy); on a figure only the study
// PDF states, the hover names the PDF's page and F12 opens the PDF's
// extracted text (the readable copy in the cache, whose first line names the
// PDF) on the words; on a figure only the press release states, F12 opens the
// page's article text on the words. Run by tests/editors/vscode.sh after
// e2e.js, against the same code-server.
// env: CS_URL (workbench URL with ?folder=), REFNOTES_WS (that folder),
//      CONVERTED (the cache folder of extracted texts), SHOTS.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const URL = process.env.CS_URL;
const WS = process.env.REFNOTES_WS;
const CONVERTED = process.env.CONVERTED;
const SHOTS = process.env.SHOTS;

const t0 = Date.now();
const log = (...args) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...args);
let passed = 0;
let failed = 0;
function check(ok, what, got) {
  if (ok) {
    passed++;
    log('PASS', what);
  } else {
    failed++;
    log('FAIL', what, got === undefined ? '' : JSON.stringify(got).slice(0, 800));
  }
}

/** Screen rectangle of `needle` inside the editor line that contains `lineText`. */
async function textRect(page, lineText, needle) {
  return page.evaluate(
    ([lineText, needle]) => {
      const normal = (s) => s.replace(/\u00a0/g, ' ');
      const line = [...document.querySelectorAll('.editor-instance .view-line')].find((el) =>
        normal(el.textContent).includes(lineText),
      );
      if (!line) return null;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let text = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node, start: text.length });
        text += normal(node.textContent);
      }
      const at = text.indexOf(needle);
      if (at < 0) return null;
      const locate = (offset) => {
        const hit = [...nodes].reverse().find((n) => n.start <= offset);
        return [hit.node, offset - hit.start];
      };
      const range = document.createRange();
      range.setStart(...locate(at));
      range.setEnd(...locate(at + needle.length));
      const r = range.getBoundingClientRect();
      const l = line.getBoundingClientRect();
      return { x: r.left, y: l.top, width: r.width, height: l.height };
    },
    [lineText, needle],
  );
}

/** F12 on `figure` in the note's line holding it; the tab and line it lands on. */
async function goToSource(page, lineText, figure, source, words) {
  await page.locator('.tab', { hasText: 'notes.md' }).first().click();
  const rect = await textRect(page, lineText, figure);
  if (!rect) return { tabName: '', sourceLine: '', first: '' };
  await page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
  await page.keyboard.press('Escape');
  await page.keyboard.press('F12');
  let tabName = '';
  let sourceLine = '';
  let first = '';
  const deadline = Date.now() + 15000;
  do {
    await page.waitForTimeout(200);
    tabName = (await page.locator('.tab.active').first().innerText().catch(() => '')).trim();
    const selection = await page.locator('#status\\.editor\\.selection').innerText().catch(() => '');
    const lineNumber = Number((/Ln (\d+)/.exec(selection) || [])[1]);
    const file = (fs.existsSync(CONVERTED) ? fs.readdirSync(CONVERTED) : []).find(
      (name) => name.startsWith(source) && tabName.startsWith(name),
    );
    if (file) {
      const lines = fs.readFileSync(path.join(CONVERTED, file), 'utf8').split('\n');
      sourceLine = lines[lineNumber - 1] || '';
      first = lines[0];
    }
  } while (!sourceLine.includes(words) && Date.now() < deadline);
  return { tabName, sourceLine, first };
}

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url) || /^(data|blob):/.test(url)) return route.continue();
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  try {
    await page.goto(URL, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    const item = page.getByRole('treeitem', { name: 'notes.md' });
    await item.waitFor({ timeout: 60000 });
    await item.dblclick();
    const grant = '- The study was funded by the Coastal Health Trust';
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'Coastal Health Trust' }).waitFor({ timeout: 30000 });
    // The corpus is converted and indexed once the note's diagnostics show.
    await page.locator('.editor-instance [class*="squiggly-"]').first().waitFor({ timeout: 60000 }).catch(() => {});
    log('notes.md open');

    // 1. hover on a figure the PDF states: the PDF's page
    const hover = page.locator('.monaco-hover:visible');
    let hoverText = '';
    for (let attempt = 0; attempt < 3 && !hoverText.includes('study.pdf p. 1'); attempt++) {
      await page.mouse.move(5, 400);
      const at = await textRect(page, grant, '$2.4 million');
      if (!at) break;
      await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
      await page.mouse.move(at.x + at.width / 2 + 1, at.y + at.height / 2);
      await hover.filter({ hasText: 'study.pdf' }).first().waitFor({ timeout: 8000 }).catch(() => {});
      hoverText = (await hover.allInnerTexts().catch(() => [])).join('\n');
    }
    check(hoverText.includes('study.pdf p. 1'), 'hover on a figure from the PDF names its page', hoverText);
    await page.screenshot({ path: path.join(SHOTS, 'pdf-hover.png') });
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');

    // 2. F12 into the PDF: its extracted text, on the words
    const pdf = await goToSource(page, grant, '$2.4 million', 'study.pdf-', '$2.4 million');
    check(/^study\.pdf-.*\.txt/.test(pdf.tabName), 'F12 opens the PDF as its extracted text', pdf);
    check(pdf.sourceLine.includes('grant of $2.4 million') && pdf.first.includes('study.pdf'),
      'on the line with the PDF\'s words, in a text naming the PDF', pdf);
    await page.screenshot({ path: path.join(SHOTS, 'pdf-definition.png') });

    // 3. F12 into the HTML page: the article's text, on the words
    const html = await goToSource(page, 'The city will spend $950,000', '$950,000', 'press-release.html-', '$850,000');
    check(/^press-release\.html-.*\.txt/.test(html.tabName), 'F12 opens the HTML page as its article text', html);
    check(html.sourceLine.includes('The city will spend $850,000 on cooling centres'), 'on the line with the article\'s words', html);
    await page.screenshot({ path: path.join(SHOTS, 'html-definition.png') });
  } catch (error) {
    failed++;
    log('ERROR', error.message.split('\n')[0]);
    await page.screenshot({ path: path.join(SHOTS, 'sources-failure.png') }).catch(() => {});
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  log(`vscode sources: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
})();
