/// Where things live in a pod directory (rkt's layout), shared by stage0 and stage1.
public struct PodLayout: Sendable {
    /// The pod directory (`<data>/pods/<state>/<uuid>`).
    public let root: String

    public init(root: String) { self.root = root }

    /// The pod manifest.
    public var manifest: String { "\(root)/pod" }
    public var created: String { "\(root)/pod-created" }
    /// The pid of the pod's process 1, as seen from the host.
    public var pid: String { "\(root)/pid" }
    public var stage1: String { "\(root)/stage1" }
    public var stage1Manifest: String { "\(root)/stage1/manifest" }
    public var stage1Rootfs: String { "\(root)/stage1/rootfs" }
    public var overlayPrepared: String { "\(root)/overlay-prepared" }
    /// The pid of stage1's `run`, which supervises the apps (`stop` signals it).
    public var supervisorPID: String { "\(stage1Rootfs)/rkt/supervisor-pid" }

    public func app(_ name: String) -> String { "\(stage1Rootfs)/opt/stage2/\(name)" }
    public func appRootfs(_ name: String) -> String { "\(app(name))/rootfs" }
    public func appManifest(_ name: String) -> String { "\(app(name))/manifest" }
    /// The rendered image tree an app's overlay stands on.
    public func appTree(_ name: String) -> String { "\(root)/appsinfo/\(name)/tree" }
    public func appsInfo(_ name: String) -> String { "\(root)/appsinfo/\(name)" }
    public func overlayUpper(_ name: String) -> String { "\(root)/overlay/\(name)/upper" }
    public func overlayWork(_ name: String) -> String { "\(root)/overlay/\(name)/work" }
    /// The app's exit status, written by stage1.
    public func status(_ name: String) -> String { "\(stage1Rootfs)/rkt/status/\(name)" }
    public var statusDirectory: String { "\(stage1Rootfs)/rkt/status" }
    /// How `enter` finds and confines itself like the app (written by stage1).
    public func enterSpec(_ name: String) -> String { "\(stage1Rootfs)/rkt/apps/\(name).json" }
    public var enterSpecDirectory: String { "\(stage1Rootfs)/rkt/apps" }
    /// The host pid of the process running the app (written by stage1).
    public func appPID(_ name: String) -> String { "\(stage1Rootfs)/rkt/apps/\(name).pid" }
    public func sharedVolume(_ name: String) -> String { "\(root)/sharedVolumes/\(name)" }
    /// Files stage0 asks stage1 to place in the apps (`--hosts-entry`, `--dns`).
    public var hostsFile: String { "\(stage1Rootfs)/etc/rkt-hosts" }
    public var resolvConfFile: String { "\(stage1Rootfs)/etc/rkt-resolv.conf" }
    /// The networks the pod joined (rkt's `net-info.json`, written by stage1).
    public var networkInfo: String { "\(root)/net-info.json" }
    /// The file naming the pod's network namespace (rkt's `netns`).
    public var networkNamespace: String { "\(root)/netns" }
    /// Where a pod's network namespace is held (a bind mount, as `ip netns add` makes).
    public static func networkNamespacePath(uuid: String) -> String { "/run/netns/rkt-\(uuid)" }
    /// Copies of the configurations of the networks joined, for their teardown (rkt's `net/`).
    public var networkConfigurations: String { "\(root)/net" }
}
