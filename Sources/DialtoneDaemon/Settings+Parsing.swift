import DialtoneJSON
import Logging

/// Turns raw settings into typed values, collecting every problem instead of stopping at the
/// first, and remembering each value's source. A bad value yields the default so the rest can
/// still be checked; ``problems`` decides whether the result is used.
struct SettingsParser {
    let sources: SettingsSources
    private(set) var problems: [SettingsError.Problem] = []
    private(set) var recorded: [Settings.Key: Settings.Source] = [:]

    init(sources: SettingsSources) {
        self.sources = sources
    }

    mutating func report(_ problem: SettingsError.Problem) {
        problems.append(problem)
    }

    mutating func record(_ key: Settings.Key, _ source: Settings.Source) {
        recorded[key] = source
    }

    /// The raw text of a single-valued setting, recording its source.
    mutating func text(_ key: Settings.Key) -> (text: String, source: Settings.Source)? {
        guard let raw = sources.value(of: key), case .text(let text) = raw.value else { return nil }
        recorded[key] = raw.source
        return (text, raw.source)
    }

    /// The items of a list setting, recording its source.
    mutating func list(_ key: Settings.Key) -> (items: [String], source: Settings.Source)? {
        guard let raw = sources.value(of: key), case .list(let items) = raw.value else { return nil }
        recorded[key] = raw.source
        return (items, raw.source)
    }

    /// A positive decimal number of seconds with at most millisecond precision.
    mutating func seconds(_ key: Settings.Key, default value: Duration, range: ClosedRange<Duration>) -> Duration {
        record(key, .builtIn)
        guard let (text, source) = text(key) else { return value }
        guard let milliseconds = Self.milliseconds(fromSeconds: text) else {
            report(.notA(key, value: quoted(text), source: source))
            return value
        }
        let duration = Duration.milliseconds(milliseconds)
        guard range.contains(duration) else {
            let bounds = "\(Settings.secondsText(range.lowerBound)) and \(Settings.secondsText(range.upperBound))"
            report(.invalid(key, value: quoted(text), source: source, reason: "must be between \(bounds) seconds"))
            return value
        }
        return duration
    }

    /// A whole number of milliseconds.
    mutating func milliseconds(_ key: Settings.Key, default value: Int64, range: ClosedRange<Int64>) -> Duration {
        .milliseconds(integer(key, default: value, range: range, unit: "milliseconds"))
    }

    /// A whole number within `range`; `unit` ends the out-of-range message.
    mutating func integer(_ key: Settings.Key, default value: Int64, range: ClosedRange<Int64>, unit: String) -> Int64 {
        record(key, .builtIn)
        guard let (text, source) = text(key) else { return value }
        guard text.count <= 18, !text.isEmpty, text.allSatisfy(\.isASCIIDigit), let number = Int64(text) else {
            report(.notA(key, value: quoted(text), source: source))
            return value
        }
        guard range.contains(number) else {
            let reason = "must be between \(range.lowerBound) and \(range.upperBound) \(unit)"
            report(.invalid(key, value: quoted(text), source: source, reason: reason))
            return value
        }
        return number
    }

    /// `true` or `false`, exactly as written.
    mutating func boolean(_ key: Settings.Key, default value: Bool) -> Bool {
        record(key, .builtIn)
        guard let (text, source) = text(key) else { return value }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(.notA(key, value: quoted(text), source: source))
            return value
        }
    }

    /// One of a fixed set of words, exactly as written.
    mutating func choice<Choice: RawRepresentable<String>>(_ key: Settings.Key, default value: Choice) -> Choice {
        record(key, .builtIn)
        guard let (text, source) = text(key) else { return value }
        guard let choice = Choice(rawValue: text) else {
            report(.notA(key, value: quoted(text), source: source))
            return value
        }
        return choice
    }

    /// A non-empty path; `fallback` computes the default when no source gives one, and
    /// `missing` says why there is none when it cannot.
    mutating func path(
        _ key: Settings.Key,
        missing: String,
        fallback: () -> (path: String, source: Settings.Source)?
    ) -> String? {
        if let (text, source) = text(key) {
            guard !text.isEmpty else {
                report(.invalid(key, value: quoted(text), source: source, reason: "is empty"))
                return nil
            }
            return text
        }
        guard let (path, source) = fallback() else {
            report(.inconsistent(key, missing))
            return nil
        }
        record(key, source)
        return path
    }

    /// `"abc"`: the value as it was given, quoted and escaped like a JSON string.
    func quoted(_ text: String) -> String {
        JSON.string(text).serialized()
    }

    /// Whole and fractional seconds, such as `30`, `2.5` or `0.25`, to milliseconds.
    private static func milliseconds(fromSeconds text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty, whole.count <= 9, whole.allSatisfy(\.isASCIIDigit),
            parts.count == 1 || (!fraction.isEmpty && fraction.count <= 3 && fraction.allSatisfy(\.isASCIIDigit)),
            let seconds = Int64(whole)
        else {
            return nil
        }
        let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
        return seconds * 1000 + (Int64(padded) ?? 0)
    }
}

extension Settings {
    /// Seconds as a settings value is written: `30`, `2.5`, `0.125`.
    static func secondsText(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// Whole milliseconds of a duration.
    static func millisecondsText(_ duration: Duration) -> String {
        "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)"
    }
}
