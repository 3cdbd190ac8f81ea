/// The built-in stage1 flavors.
public enum Flavor: String, Sendable {
    /// Namespaces, overlay roots, cgroups, capabilities, seccomp: the default.
    case ns
    /// One app, chrooted, no isolation.
    case fly
}
