import DialtoneJSON

/// `key  value` lines for one object, nested objects flattened as `outer.inner`.
struct KeyValueList {
    private let pairs: [(String, String)]

    init(_ object: JSONObject, prefix: String = "") {
        pairs = Self.flatten(object, prefix: prefix)
    }

    private static func flatten(_ object: JSONObject, prefix: String) -> [(String, String)] {
        object.flatMap { member -> [(String, String)] in
            let key = prefix.isEmpty ? member.key : "\(prefix).\(member.key)"
            if case .object(let inner) = member.value, !inner.isEmpty {
                return flatten(inner, prefix: key)
            }
            return [(key, Display.text(member.value))]
        }
    }

    func rendered() -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in
            "\(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(value)"
        }
        .joined(separator: "\n")
    }
}
