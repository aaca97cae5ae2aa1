/// The states a live call can be listed by.
public enum ControlCallState: String, Sendable, CaseIterable {
    case ringing
    case active
}
