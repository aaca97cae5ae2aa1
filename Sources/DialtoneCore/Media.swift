/// What the caller offers; `audio` when a `call` request does not say.
public enum Media: String, Codable, CaseIterable, Sendable {
    case audio
    case video
}
