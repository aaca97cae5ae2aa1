import Logging
import Synchronization

/// The log level every dialtone handler follows unless a logger sets its own, so
/// `log.setLevel` changes the level of the running daemon at once.
public final class SharedLogLevel: Sendable {
    private let rank: Atomic<UInt8>

    public init(_ level: Logger.Level) {
        self.rank = Atomic(Self.rank(of: level))
    }

    /// Read on every log call (one relaxed atomic load); set from any thread.
    public var level: Logger.Level {
        get { Self.level(ofRank: rank.load(ordering: .relaxed)) }
        set { rank.store(Self.rank(of: newValue), ordering: .relaxed) }
    }

    private static func rank(of level: Logger.Level) -> UInt8 {
        UInt8(Logger.Level.allCases.firstIndex(of: level)!)
    }

    private static func level(ofRank rank: UInt8) -> Logger.Level {
        Logger.Level.allCases[Int(rank)]
    }
}
