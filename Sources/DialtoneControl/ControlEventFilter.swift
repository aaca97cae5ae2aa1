/// Which events a subscriber wants: given types and subjects, or everything.
struct ControlEventFilter: Sendable, Hashable {
    /// `nil` lets every event through.
    let entries: Set<String>?

    static let everything = ControlEventFilter(entries: nil)

    func admits(_ type: String) -> Bool {
        guard let entries else { return true }
        if entries.contains(type) { return true }
        guard let dot = type.firstIndex(of: ".") else { return false }
        return entries.contains(String(type[..<dot]))
    }
}
