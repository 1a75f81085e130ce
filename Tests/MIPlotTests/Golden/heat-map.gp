# heat-map.gp: a figure, drawn by MIPlot; its data is heat-map.dat, beside this file.
# Redraw it from this directory:
#   gnuplot heat-map.gp                       writes heat-map.svg
#   gnuplot -e 'format="png"' heat-map.gp     writes heat-map.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' heat-map.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' heat-map.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'heat-map.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'heat-map.dat'

# Panel 1 (row 1, column 1): Best alpha
reset
set title 'Best alpha'
set xlabel 'batch size K'
set ylabel 'true MI (nats)'
unset key
set xrange [-0.5:4.5]
set yrange [-0.5:4.5]
set xtics ('16' 0, '32' 1, '64' 2, '128' 3, '256' 4)
set ytics ('2' 0, '4' 1, '6' 2, '8' 3, '10' 4)
set tics scale 0
set palette defined (0 '#440154', 1 '#3B528B', 2 '#21918C', 3 '#5EC962', 4 '#FDE725')
set cbrange [0:1]
set cblabel 'alpha'
plot \
    data index 0 using 1:2:(0.51):(0.51):3 with boxxyerror fs solid 1 noborder lc palette notitle, \
    data index 0 using 1:2:($3 == $3 ? sprintf('%.2f', $3) : ''):4 with labels tc rgb variable notitle

unset output
