// Voxflow Studio in a real browser (run by e2e/run.sh, which starts the server and seeds the
// users): Debian's chromium driven by playwright-core.
//   STUDIO_URL, CHROMIUM, CLIP (a WAV), ADMIN_EMAIL/ADMIN_PASSWORD (tenant admin),
//   VIEWER_EMAIL/VIEWER_PASSWORD, EXPECT_WORDS (comma-separated, in the clip), TIMEOUT_S,
//   OUT_DIR (screenshots), EDITOR_PNG/RESULTS_PNG (screenshots for docs/).
const { chromium } = require('playwright-core')
const fs = require('node:fs')
const path = require('node:path')
const assert = require('node:assert/strict')

const env = (k, d) => { const v = process.env[k] ?? d; if (v === undefined) throw new Error(`${k} is not set`); return v }
const URL_ = env('STUDIO_URL')
const TIMEOUT = Number(env('TIMEOUT_S', '300')) * 1000
const OUT = env('OUT_DIR', '/tmp')
const WORDS = env('EXPECT_WORDS', '').split(',').filter(Boolean)
const t0 = Date.now()
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a)

async function signIn(page, email, password) {
  await page.goto(URL_)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Node palette' }).waitFor({ timeout: 20000 })
}

/** Drags a palette item onto the canvas at (x, y) relative to the canvas (HTML5 DnD). */
async function dropNode(page, kind, x, y) {
  await page.locator(`.palette-item[data-kind="${kind}"]`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } })
}

/** Drags a connection from an output handle to an input handle. */
async function connect(page, from, to) {
  const a = await page.getByTestId(from).boundingBox()
  const b = await page.getByTestId(to).boundingBox()
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 20, { steps: 8 })
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 })
  await page.mouse.up()
}

/** Records every text the transport indicator shows (the labels may flip quickly). */
async function watchTransport(page) {
  await page.evaluate(() => {
    window.__transports = []
    const seen = () => {
      const t = document.querySelector('[data-testid=transport]')?.textContent
      if (t && window.__transports[window.__transports.length - 1] !== t) window.__transports.push(t)
    }
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true })
  })
}
const transports = (page) => page.evaluate(() => window.__transports)

async function dropFile(page, file) {
  const b64 = fs.readFileSync(file).toString('base64')
  await page.getByTestId('dropzone').evaluate((el, { b64, name }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const dt = new DataTransfer()
    dt.items.add(new File([bytes], name, { type: 'audio/wav' }))
    for (const type of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }))
  }, { b64, name: path.basename(file) })
}

async function runAndWait(page, fileName) {
  if (fileName) await page.getByText(`✓ ${fileName}`, { exact: false }).waitFor({ timeout: 30000 })
  const before = (await page.getByTestId('job-id').count()) ? await page.getByTestId('job-id').getAttribute('title') : null
  await page.getByTestId('run').click()
  // Wait for this run's job (a previous run's results may still be on screen), then its end.
  await page.waitForFunction((old) => { const el = document.querySelector('[data-testid=job-id]'); return el && el.getAttribute('title') !== old }, before, { timeout: 20000 })
  log('job', await page.getByTestId('job-id').getAttribute('title'), 'submitted')
  await page.waitForFunction(() => ['succeeded', 'failed', 'cancelled'].includes(document.querySelector('[data-testid=job-status]')?.textContent), null, { timeout: TIMEOUT, polling: 250 })
  const status = await page.getByTestId('job-status').textContent()
  assert.equal(status, 'succeeded', `the job ended ${status}: ${await page.locator('.job').innerText()}`)
}

;(async () => {
  const browser = await chromium.launch({ executablePath: env('CHROMIUM', '/usr/bin/chromium'), args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] })
  const problems = []
  let shown = null
  try {
    const ctx = await browser.newContext({ viewport: { width: 1680, height: 1000 }, acceptDownloads: true })
    const page = await ctx.newPage()
    shown = page
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    const refreshes = { ok: 0, failed: 0 }
    page.on('response', (r) => { if (r.url().endsWith('/v1/auth/refresh')) refreshes[r.ok() ? 'ok' : 'failed']++ })
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) log('console error:', m.text()) })
    // Expected refusals (422 from live validation of an unfinished graph) are not logged.
    page.on('response', (r) => { if (r.status() >= 400 && r.status() !== 422) log(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`) })

    // --- The sign-in page wears the platform's branding; sign in; the palette.
    const product = process.env.EXPECT_PRODUCT
    if (product) {
      await page.goto(URL_)
      await page.getByRole('heading', { name: `Sign in to ${product} Studio` }).waitFor({ timeout: 15000 })
      const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vf-primary').trim())
      assert.equal(primary, '#0b7a75', 'the branding colour was not applied')
      assert.equal(await page.title(), `${product} Studio`)
      log(`sign-in page branded "${product}", primary ${primary}`)
    }
    await signIn(page, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'))
    assert.equal(await page.getByTestId('role').textContent(), 'tenant_admin')
    log('signed in as the tenant admin; palette:', (await page.locator('.palette-item').count()), 'kinds')

    // --- Build Decode → VAD → Whisper → subtitles by drag and drop.
    await dropNode(page, 'audio.decode', 40, 60)
    await dropNode(page, 'vad.silero', 330, 260)
    await dropNode(page, 'whisper.transcribe', 620, 60)
    await dropNode(page, 'export.subtitles', 910, 260)
    for (const id of ['audio1', 'vad1', 'whisper1', 'export1']) await page.getByTestId(`node-${id}`).waitFor({ timeout: 5000 })
    log('4 nodes dropped')
    await connect(page, 'handle-audio1-out-audio', 'handle-vad1-in-audio')
    await connect(page, 'handle-audio1-out-audio', 'handle-whisper1-in-audio')
    await connect(page, 'handle-vad1-out-speech_regions', 'handle-whisper1-in-speech_regions')
    await connect(page, 'handle-whisper1-out-transcript', 'handle-export1-in-transcript')
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 4, null, { timeout: 5000 })
    // A connection between ports of different types is refused.
    await connect(page, 'handle-vad1-out-speech_regions', 'handle-export1-in-transcript')
    assert.equal(await page.locator('.react-flow__edge').count(), 4, 'a speech_regions → transcript edge was accepted')
    log('4 edges connected by dragging handles; a mismatched one refused')

    // Whisper's params from its JSON Schema form: tiny.en, English, word timestamps.
    await page.getByTestId('node-whisper1').locator('.vf-node-title').click()
    await page.locator('#param-model').fill('tiny.en')
    await page.locator('#param-language').selectOption('en')
    await page.locator('#param-word_timestamps').check()
    await page.getByTestId('validation').getByText('✓ The graph is valid').waitFor({ timeout: 15000 })
    log('validation: the graph is valid')
    // Undo/redo: Ctrl+Z takes the last param back, Ctrl+Shift+Z restores it.
    await page.getByTestId('canvas').click({ position: { x: 600, y: 520 } })
    await page.keyboard.press('Control+z')
    await page.getByTestId('node-whisper1').locator('.vf-node-title').click()
    assert.equal(await page.locator('#param-word_timestamps').isChecked(), false, 'undo did not take the param back')
    await page.getByTestId('canvas').click({ position: { x: 600, y: 520 } })
    await page.keyboard.press('Control+Shift+z')
    await page.getByTestId('node-whisper1').locator('.vf-node-title').click()
    assert.equal(await page.locator('#param-word_timestamps').isChecked(), true, 'redo did not restore the param')
    log('undo/redo of a param change')

    // --- Save it (the admin may).
    await page.getByLabel('Workflow name').fill('E2E VAD → Whisper → SRT')
    await page.getByTestId('save').click()
    await page.getByText('Saved “E2E VAD → Whisper → SRT” (version 1)').waitFor({ timeout: 10000 })
    log('saved as a workflow (version 1)')

    // --- Run 1: the clip dropped on the drop zone, the upload throttled to ~64 KB/s so its
    // progress bar shows; then live over the WebSocket.
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 })
    await dropFile(page, env('CLIP'))
    const bar = page.getByTestId('upload-progress')
    await bar.waitFor({ timeout: 10000 })
    const fractions = []
    while (await bar.count()) { fractions.push(Number(await bar.getAttribute('value').catch(() => 1))); await page.waitForTimeout(150) }
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await page.getByText('✓ clip.wav').waitFor({ timeout: 30000 })
    log('upload progress seen:', fractions.map((f) => f.toFixed(2)).join(' '))
    assert.ok(fractions.some((f) => f > 0 && f < 1), 'the upload progress bar never showed a partial upload')
    for (const b of await page.locator('.notice button').all()) await b.click()
    const editorPng = process.env.EDITOR_PNG || path.join(OUT, 'studio-editor.png')
    await page.screenshot({ path: editorPng })
    log('uploaded; editor screenshot:', editorPng)
    await watchTransport(page)
    await runAndWait(page, 'clip.wav')
    const seen1 = await transports(page)
    log('run 1 succeeded; transport labels seen:', JSON.stringify(seen1))
    assert.ok(seen1.includes('Live (WebSocket)'), `run 1 was not live over the WebSocket: ${seen1}`)

    // The transcript, with timestamps; a click on a word seeks and highlights it.
    const transcript = page.getByRole('region', { name: 'Transcript' })
    await transcript.waitFor({ timeout: 20000 })
    const text = (await transcript.locator('td.text').allInnerTexts()).join(' ').toLowerCase()
    log('transcript:', text)
    for (const w of WORDS) assert.ok(text.includes(w), `"${w}" missing from the transcript`)
    await page.getByTestId('player').waitFor()
    const word = transcript.locator('button.word', { hasText: /fox/i }).first()
    await word.click()
    await page.waitForFunction(() => document.querySelector('button.word.current') !== null, null, { timeout: 10000 })
    const current = await transcript.locator('button.word.current').first().textContent()
    const at = await page.getByTestId('player').evaluate((a) => a.currentTime)
    log(`clicked "fox": the player is at ${at.toFixed(2)} s, highlighted "${current}"`)
    await page.getByTestId('player').evaluate((a) => a.pause())

    // Download the SRT and check it.
    const srtButton = page.locator('[data-testid^="download-export1.file"]')
    const [download] = await Promise.all([page.waitForEvent('download'), srtButton.click()])
    const srtPath = path.join(OUT, download.suggestedFilename())
    await download.saveAs(srtPath)
    const srt = fs.readFileSync(srtPath, 'utf8')
    assert.match(srt, /^1\r?\n\d\d:\d\d:\d\d,\d\d\d --> \d\d:\d\d:\d\d,\d\d\d/, `not an SRT: ${srt}`)
    for (const w of WORDS) assert.ok(srt.toLowerCase().includes(w), `"${w}" missing from the SRT`)
    log(`downloaded ${download.suggestedFilename()}: ${srt.split(/\r?\n\r?\n/).filter(Boolean).length} cues`)
    const resultsPng = process.env.RESULTS_PNG || path.join(OUT, 'studio-results.png')
    const showcase = process.env.SHOWCASE === '1'
    await word.click()
    await page.waitForTimeout(400)
    await page.screenshot({ path: showcase ? path.join(OUT, 'studio-results-run1.png') : resultsPng })
    await page.getByTestId('player').evaluate((a) => a.pause())
    log('results screenshot:', showcase ? path.join(OUT, 'studio-results-run1.png') : resultsPng)

    // --- Run 2: the WebSocket is cut mid-run; polling takes over and the job still finishes.
    let cut = false
    await page.routeWebSocket(/\/v1\/ws$/, (ws) => {
      const server = ws.connectToServer()
      ws.onMessage((m) => server.send(m))
      server.onMessage((m) => {
        ws.send(m)
        if (!cut && /"type":"node\./.test(String(m))) {
          // Mid-run, once the page has had this event (a close sent at once can overtake it).
          cut = true
          setTimeout(() => {
            log('cutting the WebSocket, after', String(m).slice(0, 80))
            ws.close({ code: 4000, reason: 'cut by the e2e' })
            server.close()
          }, 500)
        }
      })
    })
    await watchTransport(page)
    await page.getByRole('button', { name: 'use another file' }).click()
    await page.getByLabel('or an audio URL').fill(env('AUDIO_URL'))
    await runAndWait(page, null)
    const seen2 = await transports(page)
    log('run 2 succeeded; transport labels seen:', JSON.stringify(seen2))
    assert.ok(cut, 'the WebSocket was never cut (no node event arrived over it)')
    assert.ok(seen2.includes('Live (WebSocket)') && seen2.includes('Polling'), `polling did not take over: ${seen2}`)
    assert.ok(seen2.indexOf('Polling') > seen2.indexOf('Live (WebSocket)'))
    await page.getByRole('region', { name: 'Transcript' }).waitFor({ timeout: 20000 })
    await page.unrouteAll({ behavior: 'ignoreErrors' })

    // --- Run 3, a minute of speech by URL: cancelled while it runs, then retried: it finishes.
    await page.getByLabel('or an audio URL').fill(env('LONG_URL'))
    const previous = await page.getByTestId('job-id').getAttribute('title')
    await page.getByTestId('run').click()
    await page.waitForFunction((old) => document.querySelector('[data-testid=job-id]')?.getAttribute('title') !== old, previous, { timeout: 20000 })
    await page.getByRole('button', { name: 'Cancel', exact: true }).click()
    await page.waitForFunction(() => ['succeeded', 'failed', 'cancelled'].includes(document.querySelector('[data-testid=job-status]')?.textContent), null, { timeout: TIMEOUT })
    assert.equal(await page.getByTestId('job-status').textContent(), 'cancelled', 'run 3 ended before its cancellation took effect')
    log('run 3 cancelled')
    await page.getByRole('button', { name: 'Retry', exact: true }).click()
    await page.waitForFunction(() => document.querySelector('[data-testid=job-status]')?.textContent === 'succeeded', null, { timeout: TIMEOUT })
    await page.getByRole('region', { name: 'Transcript' }).waitFor({ timeout: 20000 })
    log('run 3 retried and succeeded')

    // --- Showcase: speakers and a translation (React Flow JSON imported, a two-voice clip).
    if (showcase) {
      const graph = {
        nodes: [
          { id: 'src', type: 'audio.decode', data: { params: {} } },
          { id: 'vad', type: 'vad.silero', data: { params: {} } },
          { id: 'asr', type: 'whisper.transcribe', data: { params: { model: 'tiny.en', language: 'en', word_timestamps: true } } },
          { id: 'dia', type: 'diarize.pyannote', data: { params: { max_speakers: 3 } } },
          { id: 'spk', type: 'transcript.assign_speakers', data: { params: {} } },
          { id: 'es', type: 'translate.text', data: { params: { engine: 'apertium', source_language: 'en', target_language: 'es' } } },
          { id: 'srt', type: 'export.subtitles', data: { params: { format: 'vtt' } } }
        ],
        edges: [
          { id: 'e1', source: 'src', sourceHandle: 'audio', target: 'vad', targetHandle: 'audio' },
          { id: 'e2', source: 'src', sourceHandle: 'audio', target: 'asr', targetHandle: 'audio' },
          { id: 'e3', source: 'vad', sourceHandle: 'speech_regions', target: 'asr', targetHandle: 'speech_regions' },
          { id: 'e4', source: 'src', sourceHandle: 'audio', target: 'dia', targetHandle: 'audio' },
          { id: 'e5', source: 'asr', sourceHandle: 'transcript', target: 'spk', targetHandle: 'transcript' },
          { id: 'e6', source: 'dia', sourceHandle: 'speaker_turns', target: 'spk', targetHandle: 'speaker_turns' },
          { id: 'e7', source: 'spk', sourceHandle: 'transcript', target: 'es', targetHandle: 'transcript' },
          { id: 'e8', source: 'spk', sourceHandle: 'transcript', target: 'srt', targetHandle: 'transcript' }
        ]
      }
      const graphPath = path.join(OUT, 'meeting.reactflow.json')
      fs.writeFileSync(graphPath, JSON.stringify(graph))
      await page.locator('input[type=file][accept^=".json"]').setInputFiles(graphPath)
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 7, null, { timeout: 10000 })
      await page.getByTestId('validation').getByText('✓ The graph is valid').waitFor({ timeout: 15000 })
      await page.getByLabel('or an audio URL').fill('')
      await page.getByTestId('file-input').setInputFiles(env('DIALOGUE'))
      await runAndWait(page, 'dialogue.wav')
      const t = page.getByRole('region', { name: 'Transcript' })
      await t.locator('td.translation').first().waitFor({ timeout: 20000 })
      const speakers = (await t.locator('td.speaker').allInnerTexts()).filter(Boolean)
      const spanish = (await t.locator('td.translation').allInnerTexts()).join(' ')
      log('showcase: speakers', JSON.stringify([...new Set(speakers)]), '— translation:', spanish)
      assert.ok(spanish.trim().length > 0, 'no translation beside the original')
      await t.locator('button.word').nth(3).click()
      await page.waitForTimeout(500)
      await page.screenshot({ path: resultsPng })
      await page.getByTestId('player').evaluate((a) => a.pause())
      log('results screenshot:', resultsPng)
      // Back to the saved workflow for what follows.
      await page.getByRole('button', { name: 'Open…' }).click()
      await page.getByRole('row', { name: /E2E VAD → Whisper → SRT/ }).getByRole('button', { name: 'Open' }).click()
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 4, null, { timeout: 10000 })
      log('reopened the saved workflow')
    }

    // --- The kind's presets are offered in the parameter form.
    await page.getByTestId('node-export1').locator('.vf-node-title').click()
    await page.locator('#param-preset').waitFor({ timeout: 10000 })
    const presets = await page.locator('#param-preset option').allTextContents()
    assert.ok(presets.includes('E2E WebVTT'), `the preset is not offered: ${presets}`)
    log('presets offered for export.subtitles:', JSON.stringify(presets))

    // --- Version history: a param changed and saved as version 2 shows in the diff.
    await page.getByTestId('node-whisper1').locator('.vf-node-title').click()
    await page.locator('.params details summary').click()
    await page.locator('#param-beam_size').fill('2')
    await page.getByTestId('save').click()
    await page.getByText('(version 2)', { exact: false }).waitFor({ timeout: 10000 })
    await page.getByRole('button', { name: 'History' }).click()
    const diff = page.getByTestId('diff')
    await diff.waitFor({ timeout: 10000 })
    const diffText = await diff.innerText()
    assert.match(diffText, /v1 → v2/)
    assert.match(diffText, /whisper1[\s\S]*beam_size: \(default\) → 2/, diffText)
    log('version diff:', diffText.replace(/\s+/g, ' '))
    await page.screenshot({ path: path.join(OUT, 'studio-versions.png') })
    await page.keyboard.press('Escape')

    // --- Export as Flowise flowData, start over, import it back: the same graph, valid.
    const [flowDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Flowise' }).click()])
    const flowPath = path.join(OUT, flowDl.suggestedFilename())
    await flowDl.saveAs(flowPath)
    const flow = JSON.parse(fs.readFileSync(flowPath, 'utf8'))
    assert.deepEqual(flow.nodes.map((n) => n.data.name).sort(), ['audio.decode', 'export.subtitles', 'vad.silero', 'whisper.transcribe'])
    await page.getByRole('button', { name: 'New', exact: true }).click()
    assert.equal(await page.locator('.react-flow__node').count(), 0)
    await page.locator('input[type=file][accept^=".json"]').setInputFiles(flowPath)
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 4 && document.querySelectorAll('.react-flow__edge').length === 4, null, { timeout: 10000 })
    await page.getByTestId('validation').getByText('✓ The graph is valid').waitFor({ timeout: 15000 })
    await page.getByTestId('node-whisper1').locator('.vf-node-title').click()
    assert.equal(await page.locator('#param-model').inputValue(), 'tiny.en')
    log(`exported ${flowDl.suggestedFilename()} (Flowise flowData) and imported it back: 4 nodes, 4 edges, valid`)

    // --- Problems pin to edges too: a graph whose edge joins mismatched ports (imported, since
    // the canvas refuses to draw one) gets that edge marked and listed.
    const badPath = path.join(OUT, 'bad-edge.reactflow.json')
    fs.writeFileSync(badPath, JSON.stringify({
      nodes: [{ id: 'a', type: 'audio.decode', position: { x: 0, y: 0 }, data: { params: {} } }, { id: 's', type: 'export.subtitles', position: { x: 320, y: 0 }, data: { params: {} } }],
      edges: [{ id: 'bad', source: 'a', sourceHandle: 'audio', target: 's', targetHandle: 'transcript' }]
    }))
    await page.locator('input[type=file][accept^=".json"]').setInputFiles(badPath)
    await page.locator('.react-flow__edge.edge-problem').waitFor({ timeout: 15000 })
    const listed = await page.getByTestId('validation').innerText()
    assert.match(listed, /edge bad/, listed)
    log('edge problem pinned:', listed.replace(/\s+/g, ' ').slice(0, 160))
    await page.getByRole('button', { name: 'Undo' }).click() // back to the imported Flowise graph
    // Only nodes in view are rendered (onlyRenderVisibleElements): fit the view before counting.
    await page.locator('.react-flow__controls-fitview').click()
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 4, null, { timeout: 5000 })

    // --- Auto-layout leaves no two nodes overlapping; Delete removes a node, Ctrl+Z restores it.
    await page.getByRole('button', { name: 'Layout' }).click()
    await page.waitForTimeout(600)
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j]
      assert.ok(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, `nodes ${i} and ${j} overlap after layout`)
    }
    await page.getByTestId('node-vad1').locator('.vf-node-title').click()
    await page.keyboard.press('Delete')
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 3 && document.querySelectorAll('.react-flow__edge').length === 2, null, { timeout: 5000 })
    await page.keyboard.press('Control+z')
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 4 && document.querySelectorAll('.react-flow__edge').length === 4, null, { timeout: 5000 })
    log('auto-layout without overlaps; Delete removed vad1 and its 2 edges, Ctrl+Z brought them back')

    // --- A template from the gallery becomes a workflow.
    await page.getByRole('button', { name: 'Templates…' }).click()
    const card = page.locator('.card', { hasText: 'E2E interview transcript' })
    await card.waitFor({ timeout: 10000 })
    await page.screenshot({ path: path.join(OUT, 'studio-templates.png') })
    await card.getByRole('button', { name: 'Use template' }).click()
    await page.getByText('from the template').waitFor({ timeout: 10000 })
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 3, null, { timeout: 5000 })
    log('template instantiated:', await page.getByLabel('Workflow name').inputValue(), '(3 nodes)')

    // --- Rename that workflow, then delete it (after the confirmation).
    await page.getByRole('button', { name: 'Open…' }).click()
    const row = page.getByRole('row', { name: /E2E interview transcript/ })
    await row.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('New name').fill('Interviews (renamed)')
    await page.getByRole('button', { name: 'Rename', exact: true }).first().click()
    await page.getByLabel('New name').waitFor({ state: 'detached', timeout: 10000 })
    const renamed = page.getByRole('row', { name: /Interviews \(renamed\)/ })
    await renamed.waitFor({ timeout: 10000 })
    await page.screenshot({ path: path.join(OUT, 'studio-workflows.png') })
    assert.equal(await page.getByLabel('Workflow name').inputValue(), 'Interviews (renamed)', 'the open workflow did not take the new name')
    page.once('dialog', (d) => d.accept())
    await renamed.getByRole('button', { name: 'Delete' }).click()
    await renamed.waitFor({ state: 'detached', timeout: 10000 })
    await page.keyboard.press('Escape')
    log('workflow renamed and deleted')

    // --- Job history lists both runs.
    await page.getByRole('button', { name: 'Jobs', exact: true }).click()
    await page.locator('.jobs-list tbody tr').nth(1).waitFor({ timeout: 10000 })
    log('job history:', await page.locator('.jobs-list tbody tr').count(), 'jobs')
    await page.getByLabel('Status').selectOption('succeeded')
    await page.waitForTimeout(500)
    await page.locator('.jobs-list tbody tr').first().getByRole('button', { name: /^Open/ }).click()
    await page.locator('.jobs-detail [data-testid=job-status]').waitFor({ timeout: 10000 })
    assert.equal(await page.locator('.jobs-detail [data-testid=job-status]').textContent(), 'succeeded')
    log('history filtered by status; a job opened from it')
    await page.getByRole('button', { name: 'Editor', exact: true }).click()

    // --- A 100-node graph: dragging a node and panning stay smooth (frame times logged; the
    // node components are memoised, so only the dragged node re-renders).
    const big = { nodes: [], edges: [] }
    const chain = ['audio.decode', 'vad.silero', 'whisper.transcribe', 'export.subtitles']
    for (let c = 0; c < 25; c++) {
      chain.forEach((kind, i) => big.nodes.push({ id: `n${c}_${i}`, type: kind, position: { x: i * 280, y: c * 150 }, data: { params: {} } }))
      big.edges.push({ id: `a${c}`, source: `n${c}_0`, sourceHandle: 'audio', target: `n${c}_1`, targetHandle: 'audio' },
        { id: `b${c}`, source: `n${c}_0`, sourceHandle: 'audio', target: `n${c}_2`, targetHandle: 'audio' },
        { id: `c${c}`, source: `n${c}_1`, sourceHandle: 'speech_regions', target: `n${c}_2`, targetHandle: 'speech_regions' },
        { id: `d${c}`, source: `n${c}_2`, sourceHandle: 'transcript', target: `n${c}_3`, targetHandle: 'transcript' })
    }
    const bigPath = path.join(OUT, 'graph-100.reactflow.json')
    fs.writeFileSync(bigPath, JSON.stringify(big))
    await page.locator('input[type=file][accept^=".json"]').setInputFiles(bigPath)
    await page.locator('.react-flow__controls-fitview').click()
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 100, null, { timeout: 15000 })
    const frames = async (action) => {
      await page.evaluate(() => { window.__f = []; let last = performance.now(); window.__run = true; const tick = (t) => { window.__f.push(t - last); last = t; if (window.__run) requestAnimationFrame(tick) }; requestAnimationFrame(tick) })
      await action()
      const f = await page.evaluate(() => { window.__run = false; return window.__f.slice(1).sort((a, b) => a - b) })
      return { median: f[f.length >> 1], p95: f[Math.floor(f.length * 0.95)], n: f.length }
    }
    const nb = await page.getByTestId('node-n12_1').boundingBox()
    const drag = await frames(async () => {
      await page.mouse.move(nb.x + 30, nb.y + 6); await page.mouse.down()
      for (let i = 0; i < 60; i++) await page.mouse.move(nb.x + 30 + i * 3, nb.y + 6 + i)
      await page.mouse.up()
    })
    const pan = await frames(async () => {
      await page.mouse.move(900, 950); await page.mouse.down()
      for (let i = 0; i < 60; i++) await page.mouse.move(900 - i * 4, 950 - i * 2)
      await page.mouse.up()
    })
    const fmt = (x) => `median ${x.median.toFixed(1)} ms, p95 ${x.p95.toFixed(1)} ms over ${x.n} frames`
    log(`100 nodes: drag ${fmt(drag)}; pan ${fmt(pan)}`)
    assert.ok(drag.median < 100 && pan.median < 100, 'the 100-node canvas stutters')

    // --- Tenant switching: the admin is a member of a second tenant.
    const sw = page.getByTestId('tenant-switch')
    await sw.waitFor({ timeout: 10000 })
    const tenants = await sw.locator('option').allTextContents()
    assert.equal(tenants.length, 2, `tenants: ${tenants}`)
    await sw.selectOption({ label: 'Studio e2e B (member)' })
    await page.waitForFunction(() => document.querySelector('[data-testid=role]')?.textContent === 'member', null, { timeout: 15000 })
    await page.getByRole('navigation', { name: 'Node palette' }).waitFor()
    await page.getByTestId('tenant-switch').selectOption({ label: 'Studio e2e (tenant_admin)' })
    await page.waitForFunction(() => document.querySelector('[data-testid=role]')?.textContent === 'tenant_admin', null, { timeout: 15000 })
    log('switched tenants:', JSON.stringify(tenants), '→ member → tenant_admin')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    log('signed out')
    // The session was refreshed silently (short-lived access tokens), never with a spent token.
    log(`token refreshes: ${refreshes.ok} ok, ${refreshes.failed} refused`)
    assert.equal(refreshes.failed, 0, 'a refresh was refused (a refresh token spent twice?)')
    if (Number(process.env.ACCESS_TTL_S || 0) > 0 && Number(process.env.ACCESS_TTL_S) < 30) assert.ok(refreshes.ok > 0, 'the session was never refreshed')

    // --- The viewer cannot save (nor run).
    const vctx = await browser.newContext({ viewport: { width: 1680, height: 1000 } })
    const vpage = await vctx.newPage()
    vpage.on('pageerror', (e) => problems.push(`viewer page error: ${e.message}`))
    await signIn(vpage, env('VIEWER_EMAIL'), env('VIEWER_PASSWORD'))
    assert.equal(await vpage.getByTestId('role').textContent(), 'viewer')
    assert.equal(await vpage.getByTestId('save').isDisabled(), true, 'the viewer has an enabled Save')
    log('viewer: Save disabled —', await vpage.getByTestId('save-denied').textContent())
    await dropNode(vpage, 'audio.decode', 100, 100)
    await vpage.getByTestId('node-audio1').waitFor()
    assert.equal(await vpage.getByTestId('run').isDisabled(), true, 'the viewer has an enabled Run')
    assert.equal(await vpage.getByTestId('dropzone').getAttribute('aria-disabled'), 'true')
    log('viewer: Run and upload disabled too')
    // Keyboard only (the viewer may still edit locally): Enter on a palette item adds it, the
    // inspector's "Connections" connects ports without dragging.
    await vpage.locator('.palette-item[data-kind="vad.silero"]').focus()
    await vpage.keyboard.press('Enter')
    await vpage.getByTestId('node-vad1').waitFor({ timeout: 5000 })
    await vpage.getByTestId('node-audio1').locator('.vf-node-title').click()
    await vpage.getByLabel('Connect an output to').selectOption({ label: 'audio → vad1.audio' })
    await vpage.getByRole('button', { name: 'Connect', exact: true }).click()
    await vpage.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 1, null, { timeout: 5000 })
    log('keyboard: node added with Enter, connected from the inspector')
    await vpage.screenshot({ path: path.join(OUT, 'studio-viewer.png') })
    await vctx.close()

    assert.deepEqual(problems, [])
    log('Studio e2e: all checks passed')
  } catch (e) {
    // What the page showed when it failed, for the CI log's reader.
    if (shown) {
      const shot = path.join(OUT, 'failure.png')
      await shown.screenshot({ path: shot }).catch(() => {})
      console.error('failure screenshot:', shot)
      console.error((await shown.locator('body').innerText().catch(() => '')).slice(0, 3000))
    }
    throw e
  } finally {
    await browser.close()
  }
})().catch((e) => { console.error(e); process.exit(1) })
