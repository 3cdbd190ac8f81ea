/// The cgroup limits an app's isolators ask for: memory, CPU quota and CPU shares.
public struct AppLimits: Sendable {
    public var memory: Int64?
    public var cpuMillis: Int64?
    public var cpuShares: Int?

    public init(_ app: App?) throws {
        for isolator in app?.isolators ?? [] {
            switch (isolator.kind, isolator.value) {
            case (.memory?, .resource(let value)?): memory = value.limit?.value
            case (.cpu?, .resource(let value)?):
                cpuMillis = value.limit?.milliValue
                if let millis = cpuMillis, millis < 10 {
                    throw Stage1Error.cpuLimitTooSmall(value.limit?.description ?? "")
                }
            case (_, .cpuShares(let shares)?): cpuShares = shares
            default: break
            }
        }
    }
}
