/// Why settings could not be loaded: every problem found, each naming the setting and where its
/// value came from, such as `ring-timeout: "abc" from DIALTONE_RING_TIMEOUT is not a number of seconds`.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    /// One bad setting or unusable source.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        private enum Kind: Sendable, Equatable {
            case invalid(Settings.Key, value: String, source: Settings.Source, reason: String)
            case unknownKey(String, file: String, suggestion: Settings.Key?)
            case configFile(path: String, reason: String)
            case inconsistent(Settings.Key, message: String)
        }

        private let kind: Kind

        private init(_ kind: Kind) { self.kind = kind }

        /// A value that does not fit; `reason` completes the sentence "<value> from <source> …".
        static func invalid(_ setting: Settings.Key, value: String, source: Settings.Source, reason: String) -> Problem
        {
            Problem(.invalid(setting, value: value, source: source, reason: reason))
        }

        /// A value that is not what `setting` takes.
        static func notA(_ setting: Settings.Key, value: String, source: Settings.Source) -> Problem {
            invalid(setting, value: value, source: source, reason: "is not \(setting.expectation)")
        }

        static func unknownKey(_ key: String, file: String) -> Problem {
            Problem(.unknownKey(key, file: file, suggestion: Settings.Key.closest(to: key)))
        }

        static func configFile(_ path: String, _ reason: String) -> Problem {
            Problem(.configFile(path: path, reason: reason))
        }

        static func inconsistent(_ setting: Settings.Key, _ message: String) -> Problem {
            Problem(.inconsistent(setting, message: message))
        }

        /// A listener on `address`, which is not loopback, while devices are not authenticated.
        static func remoteWithoutAuth(_ address: String) -> Problem {
            inconsistent(
                .listen,
                "\(address) is not a loopback address and auth is none, so anyone who reaches it could act as any "
                    + "user; set auth to jwt (with jwt-secret-file), or set allow-remote-without-auth to true")
        }

        /// The setting the problem is about; `nil` for a key that is not a setting.
        public var setting: Settings.Key? {
            switch kind {
            case .invalid(let setting, _, _, _), .inconsistent(let setting, _): setting
            case .configFile: .config
            case .unknownKey: nil
            }
        }

        public var description: String {
            switch kind {
            case .invalid(let setting, let value, let source, let reason):
                "\(setting.name): \(value) from \(source) \(reason)"
            case .unknownKey(let key, let file, let suggestion):
                "\"\(key)\" in \(file) is not a setting"
                    + (suggestion.map { " (did you mean \"\($0.name)\"?)" } ?? "")
            case .configFile(let path, let reason):
                "config: \(path) \(reason)"
            case .inconsistent(let setting, let message):
                "\(setting.name): \(message)"
            }
        }
    }

    /// Every problem, in the order of the settings.
    public let problems: [Problem]

    init(problems: [Problem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
