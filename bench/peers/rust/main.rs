// Runs smtp-proto's Request::parse over bench/data/commands.txt and prints one JSON line.
// Method (same in every harness): warm up 0.3 s, then 10 samples of at least 0.2 s each; the
// fastest sample's ns/op (interference on a shared machine only ever adds time).
use std::hint::black_box;
use std::time::Instant;

use smtp_proto::Request;

fn load(dir: &str, name: &str, suffix: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read(format!("{dir}/{name}")).expect("read workload");
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| [l, suffix.as_bytes()].concat())
        .collect()
}

#[inline(never)] // a named frame for callgrind's --toggle-collect=*count_pass*
fn count_pass(items: &[Vec<u8>]) -> usize {
    let mut ok = 0;
    for line in items {
        // A server hands the parser the received bytes, CRLF included.
        if black_box(Request::parse(&mut black_box(line.as_slice()).iter())).is_ok() {
            ok += 1;
        }
    }
    ok
}

fn ns_per_op(items: &[Vec<u8>]) -> f64 {
    let warm = Instant::now();
    while warm.elapsed().as_secs_f64() < 0.3 {
        black_box(count_pass(items));
    }
    let mut samples = Vec::new();
    for _ in 0..10 {
        let (start, mut passes) = (Instant::now(), 0u64);
        while start.elapsed().as_secs_f64() < 0.2 {
            black_box(count_pass(items));
            passes += 1;
        }
        samples.push(start.elapsed().as_nanos() as f64 / (passes as f64 * items.len() as f64));
    }
    samples.into_iter().fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, version) = (&args[1], args.get(2).map(String::as_str).unwrap_or("?"));
    let items = load(dir, "commands.txt", "\r\n");
    if version == "--passes" {
        // Untimed, for instruction counts: `peer-rust <data> --passes N` prints the items parsed.
        let n: usize = args[3].parse().expect("passes");
        black_box((0..n).map(|_| count_pass(&items)).sum::<usize>());
        println!("{}", items.len() * n);
        return;
    }
    let accepted = count_pass(&items);
    println!(
        "{{\"impl\":\"smtp-proto\",\"version\":\"{version}\",\"lang\":\"Rust\",\"workload\":\"commands\",\
         \"ns_per_op\":{:.2},\"accepted\":{accepted},\"total\":{},\"api\":\"Request::parse\"}}",
        ns_per_op(&items),
        items.len()
    );
}
