import DialtoneJSON

extension LoadReport {
    /// The figures as one JSON object; keys are sioload's RESULT keys where both report the
    /// same figure, so that scripts can read either tool.
    public var json: JSON {
        var object: JSONObject = ["mode": .string(mode.rawValue)]
        func put(_ key: String, _ value: Int?) { object.append(key: key, value: value.map { .number(JSONNumber($0)) } ?? .null) }
        func put(_ key: String, _ value: Double?, digits: Int = 1) {
            object.append(key: key, value: value.map { .number(JSONNumber(Self.rounded($0, digits))) } ?? .null)
        }
        switch mode {
        case .idle:
            put("conns", connections)
            put("connected", connected)
            put("failed", failed)
            put("alive_end", aliveAtEnd)
            put("alive_pinged", alivePinged)
            put("dropped", dropped)
            put("pings", pings)
            put("connect_s", connectSeconds, digits: 2)
            put("hold_s", measuredSeconds)
            put("rss_before_kb", serverRSSBeforeKB)
            put("rss_connected_kb", serverRSSConnectedKB)
            put("rss_end_kb", serverRSSEndKB)
            put("bytes_per_conn_connected", bytesPerConnectionConnected, digits: 0)
            put("bytes_per_conn_end", bytesPerConnection, digits: 0)
        case .relay, .calls:
            put("pairs", pairs)
            if mode == .relay {
                put("window", window)
                put("active_pairs", activePairs)
            }
            put("failed_conns", failed)
            put("dropped", dropped)
            put("sent", sent)
            put("recv", received)
            put("measured", measured)
            if mode == .calls { put("calls_total", completedTotal) }
            put("dur_s", measuredSeconds)
            put(mode == .relay ? "msgs_per_s" : "calls_per_s", rate, digits: mode == .relay ? 0 : 1)
            put("p50_us", latency.count > 0 ? Int(latency.percentile(0.50)) : nil)
            put("p90_us", latency.count > 0 ? Int(latency.percentile(0.90)) : nil)
            put("p99_us", latency.count > 0 ? Int(latency.percentile(0.99)) : nil)
            put("p999_us", latency.count > 0 ? Int(latency.percentile(0.999)) : nil)
            put("max_us", latency.count > 0 ? Int(latency.maximum) : nil)
            put("mean_us", latency.count > 0 ? latency.mean : nil, digits: 0)
            put("srv_cpu_us_per_" + (mode == .relay ? "msg" : "call"), serverCPUMicrosecondsPerUnit)
            put("rss_end_kb", serverRSSEndKB)
            if mode == .calls { put("unfinished", unfinished) }
            put("acks_bad", badAcks)
            put("errors", errors)
        }
        put("srv_cpu_pct", serverCPUPercent)
        put("gen_cpu_pct", generatorCPUPercent)
        put("wall_s", wallSeconds)
        return .object(object)
    }

    /// The figures as an aligned two-column table for a person.
    public var table: String {
        var rows: [(String, String)] = [("mode", mode.rawValue)]
        func text(_ value: Double?, _ digits: Int, _ unit: String = "") -> String {
            value.map { Self.format($0, digits) + unit } ?? "n/a"
        }
        switch mode {
        case .idle:
            rows += [
                ("connections", "\(connected) of \(connections) (\(failed) failed)"),
                ("connect time", text(connectSeconds, 2, " s")),
                ("alive at end", "\(aliveAtEnd) (\(dropped) dropped)"),
                ("answered a ping", "\(alivePinged) of \(aliveAtEnd) (\(pings) pings)"),
                ("hold", text(measuredSeconds, 1, " s")),
                ("server RSS before / end", "\(serverRSSBeforeKB.map(String.init) ?? "n/a") / \(serverRSSEndKB.map(String.init) ?? "n/a") KiB"),
                ("server bytes per connection", text(bytesPerConnection, 0)),
            ]
        case .relay, .calls:
            let unit = mode == .relay ? "msg" : "call"
            rows += [
                ("pairs", mode == .relay ? "\(pairs) x window \(window) (\(activePairs) active)" : "\(pairs)"),
                ("connections failed / dropped", "\(failed) / \(dropped)"),
                (mode == .relay ? "messages/s" : "calls/s", text(rate, mode == .relay ? 0 : 1)),
                ("measured", "\(measured) in \(Self.format(measuredSeconds, 1)) s"),
                (
                    "latency p50 / p90 / p99 / p99.9",
                    latency.count == 0
                        ? "n/a"
                        : "\(latency.percentile(0.5)) / \(latency.percentile(0.9)) / \(latency.percentile(0.99)) / \(latency.percentile(0.999)) µs"
                ),
                ("latency max", latency.count == 0 ? "n/a" : "\(latency.maximum) µs"),
                ("server CPU per \(unit)", text(serverCPUMicrosecondsPerUnit, 1, " µs")),
                ("server RSS at end", serverRSSEndKB.map { "\($0) KiB" } ?? "n/a"),
                ("bad acks / errors" + (mode == .calls ? " / unfinished" : ""),
                 "\(badAcks) / \(errors)" + (mode == .calls ? " / \(unfinished)" : "")),
            ]
        }
        rows += [
            ("server CPU", text(serverCPUPercent, 1, " %")),
            ("generator CPU", text(generatorCPUPercent, 1, " %")),
            ("wall", text(wallSeconds, 1, " s")),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    static func rounded(_ value: Double, _ digits: Int) -> Double {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    static func format(_ value: Double, _ digits: Int) -> String {
        let rounded = rounded(value, digits)
        if digits == 0 { return String(Int(rounded)) }
        let whole = Int(rounded.rounded(.towardZero))
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let fraction = abs(Int((rounded * Double(scale)).rounded())) % scale
        let fractionText = String(fraction)
        let sign = rounded < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
}
