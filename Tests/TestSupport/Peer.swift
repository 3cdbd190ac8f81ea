/// Programs the tests run next to ours (installed by `make setup`).
package enum Peer {
    /// The reference actool (Debian appc-spec 0.8.11).
    package static let actool = "/usr/bin/actool"
    package static let python = "/usr/bin/python3"
    /// GNU time, for `-v` (peak memory).
    package static let time = "/usr/bin/time"
    package static let gpg = "/usr/bin/gpg"
    package static let gpgv = "/usr/bin/gpgv"
    package static let gpgconf = "/usr/bin/gpgconf"
    package static let skopeo = "/usr/bin/skopeo"
    package static let ps = "/bin/ps"
}
