/** The agent tool's contract: what the model sees and how its input is read. No Flowise types. */
export const TOOL_NAME = 'transcribe_audio'
export const DEFAULT_DESCRIPTION =
    'Transcribe speech in an audio file with Voxflow (Whisper). Input: an http(s) URL or a Voxflow file id of the audio; ' +
    'an empty input transcribes the audio file the user uploaded in the chat. Output: the transcript text.'

/** Agents sometimes wrap the argument in JSON or quotes: accept `{"url": …}`, `{"input": …}`, "…". */
export function audioArgument(input: unknown): string {
    let v = typeof input === 'string' ? input.trim() : input
    if (typeof v === 'string' && v.startsWith('{')) {
        try {
            v = JSON.parse(v)
        } catch {
            /* plain text */
        }
    }
    if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>
        v = o.url ?? o.audio ?? o.file_id ?? o.input ?? ''
    }
    return String(v ?? '').trim().replace(/^["'`]|["'`]$/g, '')
}
