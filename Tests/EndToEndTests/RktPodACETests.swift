import Foundation
import TestSupport
import Testing

/// The appc ACE validator's checks (appc/spec `ace/validator.go`), written in busybox shell: a
/// main app with pre-start and post-stop handlers, an environment and a working directory from
/// its manifest, and a sidekick, sharing an empty volume; the main app checks every metadata
/// endpoint with its content type and an HMAC round trip, as the validator does.
@Suite("rkt pods: the ACE validator's checks", .serialized, .enabled(if: PodTestSupport.isRoot, PodTestSupport.needsRoot))
struct RktPodACETests {
    /// `fail` ends the step with "NAME FAIL: why"; `expect_mount` checks a read-write mount point.
    static let common = #"""
        fail() { echo "$NAME FAIL: $*"; exit 1; }
        exists() { [ -e "$1" ] || fail "$1 does not exist"; }
        absent() { [ ! -e "$1" ] || fail "$1 exists"; }
        create() { absent "$1"; echo "$NAME" > "$1" || fail "cannot create $1"; }
        wait_for() { i=0; while [ ! -e "$1" ]; do i=$((i + 1)); [ $i -le 100 ] || fail "$1 did not appear"; sleep 0.05; done; }

        """#

    static let prestart = "NAME=prestart\n" + common + #"""
        create /prestart; absent /main; absent /poststop
        echo "prestart OK"
        """#

    static let poststop = "NAME=poststop\n" + common + #"""
        exists /prestart; exists /main; create /poststop
        echo "poststop OK"
        """#

    static let sidekick = "NAME=sidekick\n" + common + #"""
        create /db/sidekick; wait_for /db/main
        echo "sidekick OK"
        """#

    static let main = "NAME=main\n" + common + #"""
        H='Metadata-Flavor: AppContainer'
        M="$AC_METADATA_URL/acMetadata/v1"
        # request TYPE WGET-ARGUMENTS…: the body, after checking the status (200) and the content type
        request() {
          type=$1; shift
          wget -q -S -O /tmp/body --header "$H" "$@" 2>/tmp/headers || fail "$*: $(grep HTTP/ /tmp/headers | head -n 1)"
          got=$(grep -i 'content-type:' /tmp/headers | cut -d: -f2- | sed 's/^ *//' | tr -d '\r')
          [ "$got" = "$type" ] || fail "$*: Content-Type $got, not $type"
          cat /tmp/body
        }
        text='text/plain; charset=us-ascii'

        exists /prestart; create /main; absent /poststop
        [ "$PATH" = /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ] || fail "PATH is $PATH"
        [ "$(pwd)" = /opt/acvalidator ] || fail "working directory $(pwd)"
        [ "$IN_ACE_VALIDATOR" = correct ] || fail "IN_ACE_VALIDATOR is $IN_ACE_VALIDATOR"
        [ "$AC_APP_NAME" = ace-validator-main ] || fail "AC_APP_NAME is $AC_APP_NAME"
        grep -q '^[^ ]* [^ ]* [^ ]* [^ ]* /db rw' /proc/self/mountinfo || fail "/db is not a read-write mount point"
        [ -n "$AC_METADATA_URL" ] || fail "AC_METADATA_URL is not set"

        request application/json "$M/pod/manifest" | grep -q '"PodManifest"' || fail "no pod manifest"
        uuid=$(request "$text" "$M/pod/uuid")
        echo "$uuid" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' || fail "malformed UUID $uuid"
        request application/json "$M/pod/annotations" > /dev/null
        for app in ace-validator-main ace-validator-sidekick; do
          request application/json "$M/apps/$app/image/manifest" | grep -q "example.com/$app" || fail "$app's image manifest"
          id=$(request "$text" "$M/apps/$app/image/id")
          echo "$id" | grep -Eq '^sha512-[0-9a-f]{64}([0-9a-f]{64})?$' || fail "$app's image ID $id"
          request application/json "$M/apps/$app/annotations" > /dev/null
        done
        request application/json "$M/apps/ace-validator-main/annotations" | grep -q '"lorem","value":"ipsum"' || fail "app annotations"
        signature=$(request "$text" --post-data "content=Old%20MacDonald%20Had%20A%20Farm" "$M/pod/hmac/sign" | sed 's/+/%2B/g; s|/|%2F|g; s/=/%3D/g')
        request "$text" --post-data "content=Old%20MacDonald%20Had%20A%20Farm&uuid=$uuid&signature=$signature" "$M/pod/hmac/verify" > /dev/null

        wait_for /db/sidekick; create /db/main
        echo "main OK"
        """#

    @Test("prestart, main, sidekick and poststop all pass (rkt run --mds-register --volume database,kind=empty MAIN SIDEKICK)")
    func validator() throws {
        let home = try PodHome()
        let service = try MetadataServiceProcess(home: home)
        let applets = PodTestSupport.applets + ["wget"]
        let mainApp = #"""
            {"exec":["/bin/sh","/ace/main.sh"],"user":"0","group":"0","workingDirectory":"/opt/acvalidator",
             "environment":[{"name":"IN_ACE_VALIDATOR","value":"correct"}],
             "eventHandlers":[{"name":"pre-start","exec":["/bin/sh","/ace/prestart.sh"]},{"name":"post-stop","exec":["/bin/sh","/ace/poststop.sh"]}],
             "mountPoints":[{"name":"database","path":"/db","readOnly":false}]}
            """#
        let main = try home.image("main.aci", manifest: PodTestSupport.manifest("example.com/ace-validator-main", app: mainApp, annotations: [("lorem", "ipsum")]),
                                  files: ["ace/main.sh": Self.main, "ace/prestart.sh": Self.prestart, "ace/poststop.sh": Self.poststop,
                                          "opt/acvalidator/.keep": ""], applets: applets)
        let sidekickApp = #"{"exec":["/bin/sh","/ace/sidekick.sh"],"user":"0","group":"0","mountPoints":[{"name":"database","path":"/db","readOnly":false}]}"#
        let sidekick = try home.image("sidekick.aci", manifest: PodTestSupport.manifest("example.com/ace-validator-sidekick", app: sidekickApp),
                                      files: ["ace/sidekick.sh": Self.sidekick], applets: applets)
        let result = try home.run(["--mds-register", "--net=host", "--volume", "database,kind=empty", main, sidekick], environment: service.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for step in ["prestart OK", "main OK", "sidekick OK", "poststop OK"] {
            #expect(result.stdout.contains(step), "\(result.stdout)\(result.stderr)")
        }
        #expect(!result.stdout.contains("FAIL"), "\(result.stdout)")
    }
}
