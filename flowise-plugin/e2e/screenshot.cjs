// Screenshot of the e2e chatflow on Flowise's canvas, with playwright-core (a Flowise
// dependency) driving Debian's chromium (offline; no browser download).
// Env: FLOWISE_URL, FLOW_JSON ({chatflowId, email, password} from flowise.mjs), OUT_PNG.
const { chromium } = require('playwright-core')
const { readFileSync } = require('node:fs')

async function main() {
    const base = process.env.FLOWISE_URL
    const flow = JSON.parse(readFileSync(process.env.FLOW_JSON, 'utf8'))
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    })
    try {
        const page = await browser.newPage({ viewport: { width: 1700, height: 820 }, deviceScaleFactor: 1 })
        await page.goto(`${base}/signin`, { waitUntil: 'networkidle' })
        await page.locator('input[type="email"], input[name="email"]').first().fill(flow.email)
        await page.locator('input[type="password"]').first().fill(flow.password)
        await Promise.all([page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 30000 }), page.locator('button[type="submit"]').first().click()])
        await page.goto(`${base}/canvas/${flow.chatflowId}`, { waitUntil: 'networkidle' })
        await page.waitForSelector('.react-flow__node', { timeout: 30000 })
        // Fit the flow into view (the canvas' own "fit view" control), then let icons load.
        const fit = page.locator('.react-flow__controls-fitview')
        if (await fit.count()) await fit.first().click()
        await page.waitForTimeout(1500)
        const nodes = await page.locator('.react-flow__node').count()
        if (nodes < 4) throw new Error(`expected 4 nodes on the canvas, saw ${nodes}`)
        await page.screenshot({ path: process.env.OUT_PNG })
        console.log(`screenshot: ${process.env.OUT_PNG} (${nodes} nodes on the canvas)`)
    } finally {
        await browser.close()
    }
}

main().catch((e) => {
    console.error(e)
    process.exit(1)
})
