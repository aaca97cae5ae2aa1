import DialtoneJSON
import Foundation

/// How values read in tables.
enum Display {
    /// Strings bare, `-` for null or missing, arrays comma-separated, the rest as JSON.
    static func text(_ value: JSON?) -> String {
        switch value {
        case nil, .null?: "-"
        case .string(let text)?: text.isEmpty ? "-" : text
        case .array(let elements)? where elements.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }):
            elements.isEmpty ? "-" : elements.map { text($0) }.joined(separator: ",")
        case let other?: other.serialized()
        }
    }

    /// Seconds as `45s`, `3m07s` or `2h05m`.
    static func duration(_ value: JSON?) -> String {
        guard let seconds = value?.doubleValue else { return "-" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(format: "%02d", whole % 60))s" }
        return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m"
    }

    /// A count, or the length of an array given instead of a count.
    static func count(_ value: JSON?) -> String {
        if let array = value?.arrayValue { return String(array.count) }
        return text(value)
    }

    /// The other participants of a call, for a `TO` column.
    static func callees(_ call: JSON) -> String {
        let from = call["from"]?.stringValue
        let others = (call["participants"]?.arrayValue ?? []).compactMap(\.stringValue).filter { $0 != from }
        return others.isEmpty ? "-" : others.joined(separator: ",")
    }
}
