// Checks that Flowise's own UI renders the e2e flows (run by CI): logs in with playwright-core
// (a Flowise dependency) driving Debian's chromium (offline; no browser download), opens each
// flow's canvas (chatflow and Agentflow v2) and asserts that every node is rendered, found by
// its label in the DOM. With OUT_PNG, also saves a screenshot of the first flow's canvas; with
// OUT_CHAT_PNG, sends "transcribe" in the Agentflow's chat window and saves what the user sees
// (the job's progress in the thinking card, then the transcript).
// Env: FLOWISE_URL, FLOW_JSON ({email, password, flows: [{id, kind, labels}]} from flowise.mjs),
// OUT_PNG, OUT_CHAT_PNG (optional), CHROMIUM (default /usr/bin/chromium).
const { chromium } = require('playwright-core')
const { readFileSync } = require('node:fs')

async function main() {
    const base = process.env.FLOWISE_URL
    const run = JSON.parse(readFileSync(process.env.FLOW_JSON, 'utf8'))
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    })
    try {
        const page = await browser.newPage({ viewport: { width: 1700, height: 820 }, deviceScaleFactor: 1 })
        await page.goto(`${base}/signin`, { waitUntil: 'networkidle' })
        await page.locator('input[type="email"], input[name="email"]').first().fill(run.email)
        await page.locator('input[type="password"]').first().fill(run.password)
        await Promise.all([page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30000 }), page.locator('button[type="submit"]').first().click()])
        for (const [i, flow] of run.flows.entries()) {
            await page.goto(`${base}/${flow.kind}/${flow.id}`, { waitUntil: 'networkidle' })
            await page.waitForSelector('.react-flow__node', { timeout: 30000 })
            // Fit the flow into view (the canvas' own "fit view" control), then let icons load.
            const fit = page.locator('.react-flow__controls-fitview')
            if (await fit.count()) await fit.first().click()
            await page.waitForTimeout(1000)
            const texts = await page.locator('.react-flow__node').allInnerTexts()
            const missing = flow.labels.filter((l) => !texts.some((t) => t.includes(l)))
            if (texts.length !== flow.labels.length || missing.length)
                throw new Error(`${flow.kind}/${flow.id}: ${texts.length} nodes rendered, expected ${flow.labels.length}; missing: ${missing.join(', ') || '-'}`)
            console.log(`ok - ${flow.kind}/${flow.id} renders its ${texts.length} nodes: ${flow.labels.join(', ')}`)
            if (i === 0 && process.env.OUT_PNG) {
                await page.waitForTimeout(500)
                await page.screenshot({ path: process.env.OUT_PNG })
                console.log(`screenshot: ${process.env.OUT_PNG}`)
            }
            if (flow.kind === 'v2/agentcanvas' && process.env.OUT_CHAT_PNG) {
                await page.locator('button[title="Chat"]').first().click()
                const input = page.getByPlaceholder('Type your question...')
                await input.fill('transcribe')
                await input.press('Enter')
                await page.getByText(/Thought for \d+ second/).first().waitFor({ timeout: 180000 })
                await page.waitForTimeout(2000)
                await page.screenshot({ path: process.env.OUT_CHAT_PNG })
                console.log(`screenshot: ${process.env.OUT_CHAT_PNG}`)
            }
        }
    } finally {
        await browser.close()
    }
}

main().catch((e) => {
    console.error(e)
    process.exit(1)
})
