// Peer harness: go-smtp's command parsing on bench/data/commands.txt; prints one JSON line.
//
// go-smtp exports no parser: its server parses inside unexported functions (parseCmd,
// parseHelloArgument, parseArgs, (*parser).parseReversePath/parsePath). Running the whole exported
// Server over a net.Pipe would time goroutine hand-offs and reply writing, not parsing, so this
// harness binds those unexported functions by symbol (//go:linkname, no code copied) and calls them
// in the order Conn.handle does. See README.md.
//
// Method (same in every harness): warm up 0.3 s, then 10 samples of at least 0.2 s each; the
// fastest sample's ns/op (interference on a shared machine only ever adds time).
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	_ "unsafe" // for go:linkname

	_ "github.com/emersion/go-smtp"
)

// Same layout as go-smtp's unexported `parser` (one string field: the unparsed rest).
type parser struct{ s string }

//go:linkname parseCmd github.com/emersion/go-smtp.parseCmd
func parseCmd(line string) (cmd string, arg string, err error)

//go:linkname parseHelloArgument github.com/emersion/go-smtp.parseHelloArgument
func parseHelloArgument(arg string) (string, error)

//go:linkname parseArgs github.com/emersion/go-smtp.parseArgs
func parseArgs(s string) (map[string]string, error)

//go:linkname cutPrefixFold github.com/emersion/go-smtp.cutPrefixFold
func cutPrefixFold(s, prefix string) (string, bool)

//go:linkname parseReversePath github.com/emersion/go-smtp.(*parser).parseReversePath
func parseReversePath(p *parser) (string, error)

//go:linkname parsePath github.com/emersion/go-smtp.(*parser).parsePath
func parsePath(p *parser) (string, error)

var sink int

// parse runs the parsing steps go-smtp's server applies to one line (textproto has already removed
// the CRLF). Verbs whose handlers parse nothing further (DATA, QUIT, …) stop after parseCmd.
func parse(line string) bool {
	cmd, arg, err := parseCmd(line)
	if err != nil || cmd == "" {
		return false
	}
	switch cmd {
	case "HELO", "EHLO", "LHLO":
		d, err := parseHelloArgument(arg)
		sink += len(d)
		return err == nil
	case "MAIL", "RCPT":
		prefix, step := "FROM:", parseReversePath
		if cmd == "RCPT" {
			prefix, step = "TO:", parsePath
		}
		rest, ok := cutPrefixFold(arg, prefix)
		if !ok {
			return false
		}
		p := parser{s: strings.TrimSpace(rest)}
		addr, err := step(&p)
		if err != nil {
			return false
		}
		params, err := parseArgs(p.s)
		sink += len(addr) + len(params)
		return err == nil
	}
	return true
}

func pass(items []string) int {
	ok := 0
	for _, l := range items {
		if parse(l) {
			ok++
		}
	}
	return ok
}

func nsPerOp(items []string) float64 {
	for warm := time.Now(); time.Since(warm) < 300*time.Millisecond; {
		sink += pass(items)
	}
	var samples []float64
	for i := 0; i < 10; i++ {
		start, passes := time.Now(), 0
		for time.Since(start) < 200*time.Millisecond {
			sink += pass(items)
			passes++
		}
		samples = append(samples, float64(time.Since(start).Nanoseconds())/float64(passes*len(items)))
	}
	sort.Float64s(samples)
	return samples[0]
}

func main() {
	data, err := os.ReadFile(os.Args[1] + "/commands.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var items []string
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(l) > 0 {
			items = append(items, string(l))
		}
	}
	version := "?"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/emersion/go-smtp" {
				version = strings.TrimPrefix(d.Version, "v")
			}
		}
	}
	accepted := pass(items)
	fmt.Printf(`{"impl":"go-smtp","version":%q,"lang":"Go","workload":"commands","ns_per_op":%.2f,`+
		`"accepted":%d,"total":%d,"api":"parseCmd + parseHelloArgument/(*parser).parse(Reverse)Path + parseArgs (via go:linkname)"}`+"\n",
		version, nsPerOp(items), accepted, len(items))
}
