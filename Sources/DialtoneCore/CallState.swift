/// The lifecycle of a call: `ringing` until someone answers, then `active`, then `ended` in history.
public enum CallState: String, Codable, Sendable {
    case ringing
    case active
    case ended
}
