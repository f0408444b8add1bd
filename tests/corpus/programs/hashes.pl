# SPDX-License-Identifier: MIT
# Corpus: a hash-heavy Perl program; deterministic output.
use strict;
use warnings;
my %h;
for my $i (1 .. 300000) {
    $h{ "k" . ($i * 7919 % 1000003) } .= $i % 10;
}
my %by_length;
$by_length{ length $h{$_} }++ for keys %h;
print "$_ $by_length{$_}\n" for sort { $a <=> $b } keys %by_length;
print scalar(keys %h), "\n";
delete @h{ grep { /7$/ } keys %h };
print scalar(keys %h), "\n";
my %words;
$words{ join "", map { chr(97 + ($_ * $_ % 26)) } 1 .. ($_ % 40) }++ for 1 .. 100000;
print scalar(keys %words), " ", (sort keys %words)[-1], "\n";
