import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Glibc
import SystemPackage
import Testing

/// One error type for every failure on the host: the cause survives wrapping, so a caller can
/// still ask for the errno or the refusal after a layer put its own operation around it.
@Suite struct HostErrorTests {
    @Test func aWrappedErrorKeepsItsCauseUnderTheOuterOperation() throws {
        let inner = HostError("open", "/r/srv/data", Errno.permissionDenied)
        let outer = HostError("write journal", "/r/var/lib/ampfix/x.journal", inner)
        #expect(outer.errno == .permissionDenied && outer.refusal == nil)
        #expect(outer.description == "cannot write journal /r/var/lib/ampfix/x.journal: Permission denied")

        let refused = HostError("move", "/r/a", HostError("open", "/r/a", .wrongKind(.fifo)))
        #expect(refused.refusal == .wrongKind(.fifo) && refused.errno == nil)
    }

    @Test func aLibrarysNegativeReturnIsItsErrno() {
        let error = HostError("load", "ampfsm", returned: -ENOEXEC)
        #expect(error.errno == .execFormatError)
        #expect(error == HostError("load", "ampfsm", .errno(.execFormatError)))
    }

    @Test func whatALibraryOrAProgramSaidIsQuotedAsItSaidIt() throws {
        let said = HostError("commit the changes to store", "tiny", .said(["Failed to resolve", "bad module"]))
        #expect(said.description == "cannot commit the changes to store tiny: Failed to resolve; bad module")
        let failed = #expect(throws: HostError.self) { try Programs.check("sh", ["-c", "echo \"user 'x' already exists\" >&2; exit 9"]) }
        guard case .program(let result)? = failed?.cause else { Issue.record("\(String(describing: failed))"); return }
        #expect(result.status == 9 && failed?.operation == "run" && failed?.object == result.commandLine)
        #expect(failed?.reason == "exited with status 9: user 'x' already exists")
    }

    @Test func aRealRefusalFromTheFileSystemIsACaseNotASentence() throws {
        let root = TempRoot("host-error")
        let outside = TempRoot("host-error-outside")
        try outside.write("srv/data", "kept\n")
        try root.makeDirectory("srv")
        root.symlink("srv/linked", to: outside.at("srv/data"))
        let fs = try RootedFileSystem(root: root.path)
        #expect(throws: HostError("open", root.at("srv/linked"), .wrongKind(.symbolicLink))) {
            try fs.replaceFile("/srv/linked", contents: Array("x\n".utf8))
        }
        #expect(try String(contentsOfFile: outside.at("srv/data"), encoding: .utf8) == "kept\n")
        #expect(throws: HostError("use root", "relative/root", .relativeRoot)) { try RootedFileSystem(root: "relative/root") }
    }
}
