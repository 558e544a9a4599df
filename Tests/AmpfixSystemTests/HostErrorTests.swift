import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Glibc
import SystemPackage
import Testing

/// One error type for every failure on the host: the cause survives wrapping, so a caller can
/// still ask for the errno or the refusal after a layer put its own operation around it.
@Suite struct HostErrorTests {
    /// A reload the kernel refused is a HostError like any other failure (its cause the
    /// reload's outcome), said as the reload's own sentence, a message in every part.
    @Test func aFailedReloadIsAHostErrorThatSaysWhatBecameOfTheOldBuild() {
        let failure = ModuleReloadFailure(name: "ampfsm", file: "ABC", errno: ENOEXEC, kernelSaid: ["ampfsm: disagrees about version of symbol"],
                                          fallback: "kept/ampfsm.ko", restored: nil, loadedNow: "OLD")
        let error = HostError(.msg("load"), "ampfsm", .moduleReload(failure))
        #expect(error.description.hasPrefix("cannot load the new ampfsm build (srcversion ABC): "), "\(error)")
        #expect(error.description.hasSuffix("the previous build was loaded back from kept/ampfsm.ko (srcversion OLD loaded)"))
        #expect(error.message.ids.contains("cannot load the new %1$s build (srcversion %2$s): %3$s (errno %4$s)"))
        #expect(Message.of(error) == error.message, "a step's reason is the message, not English text")
    }

    @Test func aWrappedErrorKeepsItsCauseUnderTheOuterOperation() throws {
        let inner = HostError(.msg("open"), "/r/srv/data", Errno.permissionDenied)
        let outer = HostError(.msg("write journal"), "/r/var/lib/ampfix/x.journal", inner)
        #expect(outer.errno == .permissionDenied && outer.refusal == nil)
        #expect(outer.description == "cannot write journal /r/var/lib/ampfix/x.journal: Permission denied")

        let refused = HostError(.msg("move"), "/r/a", HostError(.msg("open"), "/r/a", .wrongKind(.fifo)))
        #expect(refused.refusal == .wrongKind(.fifo) && refused.errno == nil)
    }

    /// In a report, an error is a message: what was attempted and ampfix's refusals in the
    /// report's language; the system's own words (strerror, a library's) as they are.
    @Test func anErrorIsAMessageWhoseRefusalIsOneToo() {
        struct Chinese: Translating {
            let entries = ["cannot %1$s %2$s: %3$s": "无法%1$s %2$s：%3$s", "move": "移动", "write journal": "写入日志",
                           "it is %1$s, not a regular file; ampfix reads and writes only regular files here": "它是%1$s，不是普通文件", "a FIFO": "FIFO"]
            func text(_ message: String) -> String { entries[message] ?? message }
            func text(_ singular: String, _ plural: String, count: Int) -> String { count == 1 ? singular : plural }
        }
        let refused = HostError(.msg("move"), "/r/a", .wrongKind(.fifo))
        #expect(Message.msg("evidence: \(refused)").rendered(Chinese()) == "evidence: 无法移动 /r/a：它是FIFO，不是普通文件")
        let failed = HostError(.msg("write journal"), "/r/j", Errno.permissionDenied)
        #expect(failed.message.rendered(Chinese()) == "无法写入日志 /r/j：\(Errno.permissionDenied.description)")
        #expect(failed.message.description == failed.description)
    }

    @Test func aLibrarysNegativeReturnIsItsErrno() {
        let error = HostError(.msg("load"), "ampfsm", returned: -ENOEXEC)
        #expect(error.errno == .execFormatError)
        #expect(error == HostError(.msg("load"), "ampfsm", .errno(.execFormatError)))
    }

    @Test func whatALibraryOrAProgramSaidIsQuotedAsItSaidIt() throws {
        let said = HostError(.msg("commit the changes to store"), "tiny", .said(["Failed to resolve", "bad module"]))
        #expect(said.description == "cannot commit the changes to store tiny: Failed to resolve; bad module")
        let failed = #expect(throws: HostError.self) { try Programs.check("sh", ["-c", "echo \"user 'x' already exists\" >&2; exit 9"]) }
        guard case .program(let result)? = failed?.cause else { Issue.record("\(String(describing: failed))"); return }
        #expect(result.status == 9 && failed?.operation == .msg("run") && failed?.object == result.commandLine)
        #expect(failed?.reason == "exited with status 9: user 'x' already exists")
    }

    @Test func aRealRefusalFromTheFileSystemIsACaseNotASentence() throws {
        let root = TempRoot("host-error")
        let outside = TempRoot("host-error-outside")
        try outside.write("srv/data", "kept\n")
        try root.makeDirectory("srv")
        root.symlink("srv/linked", to: outside.at("srv/data"))
        let fs = try RootedFileSystem(root: root.path)
        #expect(throws: HostError(.msg("open"), root.at("srv/linked"), .wrongKind(.symbolicLink))) {
            try fs.replaceFile("/srv/linked", contents: Array("x\n".utf8))
        }
        #expect(try String(contentsOfFile: outside.at("srv/data"), encoding: .utf8) == "kept\n")
        #expect(throws: HostError(.msg("use root"), "relative/root", .relativeRoot)) { try RootedFileSystem(root: "relative/root") }
    }
}
