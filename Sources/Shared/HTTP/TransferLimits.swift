import Glibc

/// How much a server may send, how slowly, and how long a fetch keeps trying the endpoints of one
/// image: generous defaults that no hostile or broken server can stretch, each changed through an
/// environment variable (named in every message about it).
public struct TransferLimits: Sendable, Equatable {
    /// The largest image (an ACI download, or a container image's layers together), in bytes.
    public var maximumImageSize: Int64
    /// A transfer slower than this many bytes a second …
    public var minimumSpeed: Int
    /// … for this many seconds in a row is dropped (waiting for an answer counts too).
    public var minimumSpeedTime: Int
    /// How long, in seconds, a fetch may take to get an answer from one of an image's endpoints
    /// (discovery's pages, the image and signature URLs it names) before it gives up. A download
    /// that has begun is bounded by the size and speed limits instead.
    public var deadline: Int64

    public init(maximumImageSize: Int64, minimumSpeed: Int, minimumSpeedTime: Int, deadline: Int64) {
        self.maximumImageSize = maximumImageSize
        self.minimumSpeed = minimumSpeed
        self.minimumSpeedTime = minimumSpeedTime
        self.deadline = deadline
    }

    /// 16 GiB, 1 KiB/s over 60 s, 10 minutes: far beyond what a working server needs.
    public static let standard = TransferLimits(maximumImageSize: 16 << 30, minimumSpeed: 1024, minimumSpeedTime: 60, deadline: 600)

    /// The environment variables that change the limits.
    public enum Variable: String, Sendable, CaseIterable {
        case maximumImageSize = "RKT_FETCH_MAX_IMAGE_SIZE"
        case minimumSpeed = "RKT_FETCH_MIN_SPEED"
        case minimumSpeedTime = "RKT_FETCH_MIN_SPEED_TIME"
        case deadline = "RKT_FETCH_DEADLINE"

        /// `RKT_FETCH_MAX_IMAGE_SIZE=SIZE`: the variable and the form of its value.
        public var usage: String {
            switch self {
            case .maximumImageSize: "\(rawValue)=SIZE"
            case .minimumSpeed: "\(rawValue)=BYTES-PER-SECOND"
            case .minimumSpeedTime, .deadline: "\(rawValue)=DURATION"
            }
        }
    }

    /// The standard limits with those the environment sets: sizes as `4MiB`, `16GiB` or bytes,
    /// durations as `30s`, `10m`, `1h`.
    public static func fromEnvironment() throws -> TransferLimits {
        var limits = standard
        for variable in Variable.allCases {
            guard let raw = getenv(variable.rawValue) else { continue }
            let text = String(cString: raw)
            do {
                switch variable {
                case .maximumImageSize: limits.maximumImageSize = try ByteSize.parse(text)
                case .minimumSpeed: limits.minimumSpeed = Int(try ByteSize.parse(text))
                case .minimumSpeedTime: limits.minimumSpeedTime = Int(try positiveSeconds(text))
                case .deadline: limits.deadline = try positiveSeconds(text)
                }
            } catch {
                throw OptionError.environmentVariable(variable.rawValue, cause: error)
            }
        }
        return limits
    }

    private static func positiveSeconds(_ text: String) throws -> Int64 {
        let seconds = try GoDuration.seconds(text)
        guard seconds > 0 else { throw OptionError.durationUnderASecond(text) }
        return seconds
    }
}
